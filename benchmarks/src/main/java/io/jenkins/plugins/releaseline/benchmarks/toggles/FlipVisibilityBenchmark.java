package io.jenkins.plugins.releaseline.benchmarks.toggles;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeWatcher;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.FlagdExportServer;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleDefinition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * From the call that flips a toggle (its store transaction included) to the first HTTP poll of the served flagd export that shows it.
 * {@code local}: the export is served by the controller that flipped. {@code other-controller}: served by a second
 * engine on the same database that learns of the flip through its {@link ChangeWatcher} (polling every 250 ms),
 * as a second Jenkins controller sharing the store would. The client polls with {@code If-None-Match} every 10 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FlipVisibilityBenchmark {

    @Param({"local", "other-controller"})
    public String servedBy;

    private Path folder;
    private Store store;
    private Store otherStore;
    private ChangeWatcher watcher;
    private FeatureToggles toggles;
    private FlagdExportServer server;
    private HttpClient http;
    private URI uri;
    private String etag;
    private boolean on;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        folder = Files.createTempDirectory("toggle-flip");
        StoreTarget target = StoreTarget.h2(folder);
        store = target.open("controller-a");
        toggles = new FeatureToggles(store, new AuditTrail(store, Clock.systemUTC()), Clock.systemUTC());
        toggles.addEnvironment("bench", "prod", null);
        toggles.define("bench", ToggleDefinition.bool("flip-me", "Flipped by the benchmark", "bench"), null);
        FeatureToggles serving = toggles;
        if (servedBy.equals("other-controller")) {
            otherStore = target.open("controller-b");
            serving = new FeatureToggles(otherStore, new AuditTrail(otherStore, Clock.systemUTC()), Clock.systemUTC());
            watcher = new ChangeWatcher(otherStore, Duration.ofMillis(250));
            serving.watch(watcher);
        }
        server = FlagdExportServer.start(serving, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "/release-line/toggles/", Map.of());
        http = HttpClient.newHttpClient();
        uri = URI.create("http://127.0.0.1:" + server.port() + "/release-line/toggles/prod.flagd.json");
        etag = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).headers().firstValue("ETag").orElseThrow();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        server.close();
        if (watcher != null) {
            watcher.close();
            otherStore.close();
        }
        store.close();
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public String flipUntilServed() throws Exception {
        on = !on;
        toggles.set("bench", "flip-me", "prod", on, null, "benchmark flip");
        while (true) {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).header("If-None-Match", etag).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
                etag = r.headers().firstValue("ETag").orElseThrow();
                return etag;
            }
            Thread.sleep(10);
        }
    }
}
