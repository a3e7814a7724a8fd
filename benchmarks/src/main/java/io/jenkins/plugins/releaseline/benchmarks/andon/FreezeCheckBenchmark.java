package io.jenkins.plugins.releaseline.benchmarks.andon;

import io.jenkins.plugins.releaseline.engine.andon.AndonPermissions;
import io.jenkins.plugins.releaseline.engine.andon.Decision;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.andon.Stops;
import io.jenkins.plugins.releaseline.engine.andon.WorkKind;
import io.jenkins.plugins.releaseline.engine.andon.WorkScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The queue's question, {@code FreezeBoard.check}, with 1,000 active freezes and 10,000 job scopes asking.
 *
 * <p>The board (H2 in a temporary folder) holds 1,000 freezes pulled through the ordinary API: 940 on job
 * folders no work lives in ({@code zone-N}), 30 on environments no work deploys to, 20 on the folders of
 * 20 of the 100 teams (so a fifth of the work is blocked, by one freeze each), 10 combining a team folder
 * with {@code staging}. The 10,000 scopes are {@code team-T/app-A/branch-B} (100 x 10 x 10) deploying to
 * {@code prod}, {@code staging} or {@code dev}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar 'andon.FreezeCheckBenchmark' -f 1 -wi 2 -i 3 -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FreezeCheckBenchmark {

    static final String[] ENVIRONMENTS = {"prod", "staging", "dev"};

    Path folder;
    Store store;
    FreezeBoard board;
    WorkScope[] all;
    WorkScope[] allowed;
    WorkScope[] blocked;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("andon-bench");
        store = Store.open(StoreSettings.h2File(folder.resolve("store"), "bench"));
        Clock clock = Clock.systemUTC();
        board = new FreezeBoard(store, new AuditTrail(store, clock), clock, AndonPermissions.overrideOnlyBy(Set.of()));
        for (int i = 0; i < 940; i++) {
            board.pull("bench", PullRequest.of(FreezeScope.job("zone-" + i + "/service"), "zone freeze " + i));
        }
        for (int i = 0; i < 30; i++) {
            board.pull("bench", PullRequest.of(FreezeScope.environment("env-" + i), "environment freeze " + i));
        }
        for (int t = 0; t < 20; t++) {
            board.pull("bench", PullRequest.of(FreezeScope.job("team-" + (t * 5)), "team freeze " + t));
        }
        for (int t = 0; t < 10; t++) {
            board.pull("bench", PullRequest.of(new FreezeScope("team-" + (t * 5 + 1), "staging"), "staging freeze " + t)
                    .withStops(Stops.DEPLOYMENTS));
        }
        if (board.activeBlockers().size() != 1_000) {
            throw new IllegalStateException("expected 1,000 active freezes, found " + board.activeBlockers().size());
        }
        List<WorkScope> scopes = new ArrayList<>();
        List<WorkScope> ok = new ArrayList<>();
        List<WorkScope> stopped = new ArrayList<>();
        int n = 0;
        for (int t = 0; t < 100; t++) {
            for (int a = 0; a < 10; a++) {
                for (int b = 0; b < 10; b++) {
                    String job = "team-" + t + "/app-" + a + "/branch-" + b;
                    WorkScope w = WorkScope.deployment(job, ENVIRONMENTS[n++ % 3], job + "#1");
                    scopes.add(w);
                    (board.check(w, WorkKind.DEPLOYMENT).allowed() ? ok : stopped).add(w);
                }
            }
        }
        all = scopes.toArray(new WorkScope[0]);
        allowed = ok.toArray(new WorkScope[0]);
        blocked = stopped.toArray(new WorkScope[0]);
        System.out.println("\nandon bench: " + all.length + " scopes, " + allowed.length + " allowed, " + blocked.length + " blocked");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        board.close();
        store.close();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Where each thread is in the list of scopes: the queue asks about one item after another. */
    @State(Scope.Thread)
    public static class Cursor {
        int i;
    }

    @Benchmark
    public Decision checkMixed(Cursor c) {
        WorkScope w = all[c.i++ % all.length];
        return board.check(w, WorkKind.DEPLOYMENT);
    }

    @Benchmark
    public Decision checkAllowed(Cursor c) {
        WorkScope w = allowed[c.i++ % allowed.length];
        return board.check(w, WorkKind.DEPLOYMENT);
    }

    @Benchmark
    public Decision checkBlocked(Cursor c) {
        WorkScope w = blocked[c.i++ % blocked.length];
        return board.check(w, WorkKind.DEPLOYMENT);
    }

    @Benchmark
    public Decision checkPlainBuild(Cursor c) {
        WorkScope w = all[c.i++ % all.length];
        return board.check(w, WorkKind.BUILD);
    }
}
