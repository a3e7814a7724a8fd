package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code release-line sample-app}: deployed to by files, as the hpi:run sample job does, and answering on loopback. */
class SampleAppCommandTest {

    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private CompletableFuture<Integer> app;
    private String url;

    @BeforeEach
    void start() throws Exception {
        Path slots = dir.resolve("slots");
        app = CompletableFuture.supplyAsync(() -> ReleaseLine.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "sample-app", "--dir", slots.toString(), "--max-time", "5m"));
        await(() -> Files.exists(slots.resolve("url")) || app.isDone(), "the url file");
        assertThat(app).isNotDone();
        url = Files.readString(slots.resolve("url")).strip();
        assertThat(url).startsWith("http://127.0.0.1:");
    }

    @AfterEach
    void stop() throws Exception {
        if (!app.isDone()) {
            write("stop", "");
            app.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void slotsAnswerAsTheReleaseDeployedToThemAndTheFrontDoorFollowsTheWeight() throws Exception {
        assertThat(get("/canary/").statusCode()).isEqualTo(503);
        assertThat(get("/canary/").body()).contains("nothing is deployed to the canary slot");

        write("stable", "version=1.0\n");
        write("canary", "# a bad build\nversion=2.0\nerrors=30%\n");
        await(() -> out.toString().contains("canary slot now runs sample-app 2.0 (answers 30% of requests with 500)"), "the canary deployment");
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = get("/canary/");
            if (r.statusCode() == 500) {
                failed++;
                assertThat(r.body()).isEqualTo("sample-app 2.0 failed\n");
            } else {
                assertThat(r.body()).isEqualTo("sample-app 2.0\n");
            }
        }
        assertThat(failed).as("30% of 100 requests, spread evenly").isEqualTo(30);
        assertThat(get("/stable/").body()).isEqualTo("sample-app 1.0\n");

        // weight 0 (no file yet): the front door sends everything to stable
        for (int i = 0; i < 20; i++) {
            assertThat(get("/").body()).isEqualTo("sample-app 1.0\n");
        }
        write("canary", "version=3.0\n");
        write("canary-weight", "25");
        await(() -> out.toString().contains("canary weight 25%"), "the weight");
        await(() -> out.toString().contains("canary slot now runs sample-app 3.0"), "the second canary deployment");
        int toCanary = 0;
        for (int i = 0; i < 100; i++) {
            if (get("/").body().equals("sample-app 3.0\n")) {
                toCanary++;
            }
        }
        assertThat(toCanary).isEqualTo(25);
        assertThat(get("/status").body()).contains("\"canaryWeight\":25").contains("\"stable\":{\"version\":\"1.0\"")
                .contains("\"canary\":{\"version\":\"3.0\"");
    }

    @Test
    void aBadFileIsReportedWithTheFixAndChangesNothing() throws Exception {
        write("canary", "version=2.0\n");
        await(() -> out.toString().contains("canary slot now runs sample-app 2.0"), "the deployment");
        write("canary", "version=2.1\neror=30%\n");
        await(() -> err.toString().contains("canary: line 2: unknown key 'eror'; use version= and errors="), "the error");
        assertThat(err.toString()).contains("(the canary slot keeps sample-app 2.0)");
        write("canary-weight", "150");
        await(() -> err.toString().contains("canary-weight: '150' is not a weight from 0 to 100 (it stays 0)"), "the weight error");
        write("stable", "errors=10%\n");
        await(() -> err.toString().contains("stable: no version= line; write version=2.0"), "the missing version");
        assertThat(get("/canary/").body()).isEqualTo("sample-app 2.0\n");
        assertThat(get("/").statusCode()).as("still nothing in stable").isEqualTo(503);
        assertThat(app).isNotDone();
    }

    @Test
    void theStopFileEndsItWithExitZeroAndTakesTheUrlAway() throws Exception {
        write("stop", "");
        assertThat(app.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(dir.resolve("slots/url")).doesNotExist();
        assertThat(out.toString()).contains("stop file found; stopping");
    }

    @Test
    void aBadOptionIsRefusedBeforeAnythingStarts() {
        CliRun run = CliRun.of("sample-app", "--dir", dir.resolve("other").toString(), "--port", "70000");
        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).contains("--port: 70000 is outside 0..65535");
        assertThat(dir.resolve("other")).doesNotExist();
    }

    private void write(String name, String text) throws Exception {
        Path file = dir.resolve("slots").resolve(name);
        Path tmp = file.resolveSibling(name + ".writing");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
