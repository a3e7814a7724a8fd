package io.jenkins.plugins.releaseline.benchmarks.promotion;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalRule;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.Deployment;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.Evaluation;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.promotion.Verdict;
import io.jenkins.plugins.releaseline.engine.store.ChangeSignals;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import io.jenkins.plugins.releaseline.engine.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Gate evaluation and "what runs in each environment now" with 1,000,000 ledger records present
 * (250,000 promotions over 20 environments and 50 artifacts, four ledger entries each).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar 'promotion.PromotionBenchmark' -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PromotionBenchmark {

    static final int ENVIRONMENTS = 20;
    static final int ARTIFACTS = 50;
    static final int PROMOTIONS = 250_000;
    static final int EVENTS_PER_PROMOTION = 4;

    @Param({"H2", "POSTGRESQL"})
    public String database;

    private Store store;
    private Path folder;
    private PromotionEngine engine;
    private long candidate;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        StoreSettings settings;
        if (database.equals("H2")) {
            folder = Files.createTempDirectory("release-line-promotion-bench-");
            settings = StoreSettings.h2File(folder.resolve("store"), "bench");
        } else {
            PostgresServer pg = PostgresServer.shared();
            settings = pg.settings(pg.createDatabase("promotion_bench") + "?reWriteBatchedInserts=true", "bench");
        }
        store = Store.open(settings);
        Clock clock = Clock.systemUTC();
        FreezeCheck noFreeze = (env, job, who) -> FreezeCheck.Answer.clear();
        engine = new PromotionEngine(store, new AuditTrail(store, clock), clock, noFreeze);
        engine.configure(line(), "bench");
        long started = System.nanoTime();
        populate(Instant.now().minus(Duration.ofDays(400)));
        System.out.printf("%n[setup] %s: %,d promotions and %,d ledger records written in %.1f s%n", database, PROMOTIONS,
                PROMOTIONS * EVENTS_PER_PROMOTION, (System.nanoTime() - started) / 1e9);
        if (database.equals("POSTGRESQL")) {
            store.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE");
                }
                return null;
            });
        }
        candidate = prepareCandidate();
        Evaluation e = engine.evaluate(candidate);
        System.out.println("[setup] the evaluated promotion: " + e.verdicts());
        if (e.overall() != Verdict.WAIT) {
            throw new IllegalStateException("the benchmark's promotion should wait for its approvals: " + e.verdicts());
        }
        Map<String, List<Deployment>> now = engine.current();
        if (now.size() != ENVIRONMENTS || now.values().stream().anyMatch(List::isEmpty)) {
            throw new IllegalStateException("every environment should run something: " + now.keySet());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        store.close();
        if (folder != null) {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Every gate for one promotion to the last environment (soak, 2-of-3 approvals, lock, branch, lineage). */
    @Benchmark
    public Evaluation evaluate() {
        return engine.evaluate(candidate);
    }

    /** What runs in each of the 20 environments now. */
    @Benchmark
    public Map<String, List<Deployment>> currentInEachEnvironment() {
        return engine.current();
    }

    /**
     * The same question right after a change elsewhere: the promotion topic's counter is raised before each call
     * (not measured), so the rows are read from the store every time.
     */
    @Benchmark
    public Map<String, List<Deployment>> currentInEachEnvironmentAfterAChange(ChangedBoard changed) {
        return engine.current();
    }

    /** Raises the promotion topic's change counter before each invocation, as a promotion on another controller would. */
    @State(Scope.Thread)
    public static class ChangedBoard {
        @Setup(Level.Invocation)
        public void change(PromotionBenchmark bench) {
            bench.store.inTransaction(c -> ChangeSignals.raise(c, PromotionEngine.TOPIC));
        }
    }

    static EnvironmentOrder line() {
        List<Environment> envs = new ArrayList<>();
        envs.add(Environment.first(env(0)));
        for (int i = 1; i < ENVIRONMENTS; i++) {
            ApprovalRule rule = i == ENVIRONMENTS - 1 ? ApprovalRule.of(2, Set.of("alice", "bob", "carol"), Set.of(), true) : ApprovalRule.NONE;
            envs.add(Environment.after(env(i - 1), env(i), Duration.ofMinutes(30), rule));
        }
        return EnvironmentOrder.of(envs);
    }

    static String env(int i) {
        return String.format("env-%02d", i + 1);
    }

    /**
     * Writes the history with set-based SQL (one statement per table): promotion i moves digest
     * (artifact, build) of artifact i % ARTIFACTS into environment (i / ARTIFACTS) % ENVIRONMENTS, with four
     * ledger records each (requested, started, deployed, verified); the newest promotion of each environment and
     * artifact is what runs there.
     */
    private void populate(Instant start) {
        long t0 = micros(start);
        String range = store.dialect() == io.jenkins.plugins.releaseline.engine.store.Dialect.H2
                ? "SYSTEM_RANGE(1, " + PROMOTIONS + ") AS r(x)"
                : "generate_series(1, " + PROMOTIONS + ") AS r(x)";
        String artifact = "MOD(x, " + ARTIFACTS + ")";
        String environment = "MOD(x / " + ARTIFACTS + ", " + ENVIRONMENTS + ")";
        String build = "(x / " + (ARTIFACTS * ENVIRONMENTS) + ")";
        String envName = "'env-' || LPAD(CAST(" + environment + " + 1 AS VARCHAR(10)), 2, '0')";
        String name = "'app-' || CAST(" + artifact + " AS VARCHAR(10))";
        String digest = "'sha256:' || LPAD(CAST(" + artifact + " * 1000000 + " + build + " AS VARCHAR(20)), 64, '0')";
        String version = "'1.' || CAST(" + build + " AS VARCHAR(10)) || '.0'";
        String at = "(" + t0 + " + CAST(x AS BIGINT) * 60000000)";
        step("INSERT INTO release_line_promotion (id, environment, artifact, version, digest, branch, job_path, build_link, "
                + "requested_by, requested_micros, status, status_micros, deployed_micros, rollback, controller_id, comment) "
                + "SELECT x, " + envName + ", " + name + ", " + version + ", " + digest + ", 'main', 'team/' || " + name
                + " || '/main', 'https://ci.example/job/' || " + name + " || '/' || CAST(" + build + " AS VARCHAR(10)) || '/', "
                + "'ci', " + at + ", 'VERIFIED', " + at + " + 3000000, " + at + " + 2000000, FALSE, 'bench', NULL FROM " + range);
        step("INSERT INTO release_line_promotion_event (id, promotion_id, environment, artifact, version, digest, kind, principal, "
                + "at_micros, build_link, comment, verdicts) SELECT (p.id - 1) * 4 + k.n + 1, p.id, p.environment, p.artifact, p.version, "
                + "p.digest, k.kind, 'ci', p.requested_micros + k.n * 1000000, p.build_link, NULL, "
                + "CASE WHEN k.n = 1 THEN '[{\"gate\":\"previous environment\",\"verdict\":\"PASS\",\"reason\":\"ran successfully\"},"
                + "{\"gate\":\"deploy lock\",\"verdict\":\"PASS\",\"reason\":\"free\"}]' END "
                + "FROM release_line_promotion p CROSS JOIN (VALUES (0, 'REQUESTED'), (1, 'STARTED'), (2, 'DEPLOYED'), (3, 'VERIFIED')) AS k(n, kind)");
        step("INSERT INTO release_line_artifact_lineage (artifact, digest, version, ordinal, first_micros) "
                + "SELECT artifact, digest, MIN(version), MIN(id), MIN(requested_micros) FROM release_line_promotion GROUP BY artifact, digest");
        step("INSERT INTO release_line_deployment_current (environment, artifact, version, digest, promotion_id, since_micros, "
                + "deployed_by, build_link, job_path, rollback) SELECT p.environment, p.artifact, p.version, p.digest, p.id, "
                + "p.deployed_micros, p.requested_by, p.build_link, p.job_path, p.rollback FROM release_line_promotion p "
                + "WHERE p.id IN (SELECT MAX(id) FROM release_line_promotion GROUP BY environment, artifact)");
        // the identity columns continue after the ids written here
        if (store.dialect() == io.jenkins.plugins.releaseline.engine.store.Dialect.H2) {
            step("ALTER TABLE release_line_promotion ALTER COLUMN id RESTART WITH " + (PROMOTIONS + 1));
            step("ALTER TABLE release_line_promotion_event ALTER COLUMN id RESTART WITH " + (PROMOTIONS * EVENTS_PER_PROMOTION + 1));
        } else {
            step("SELECT setval(pg_get_serial_sequence('release_line_promotion', 'id'), " + PROMOTIONS + ")");
            step("SELECT setval(pg_get_serial_sequence('release_line_promotion_event', 'id'), " + PROMOTIONS * EVENTS_PER_PROMOTION + ")");
        }
        long events = store.read(c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM release_line_promotion_event")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        if (events != (long) PROMOTIONS * EVENTS_PER_PROMOTION) {
            throw new IllegalStateException("expected " + PROMOTIONS * EVENTS_PER_PROMOTION + " ledger records, found " + events);
        }
    }

    private void step(String sql) {
        store.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }

    /** A new digest taken through env-01..env-19 with the engine, then requested to env-20 and approved once. */
    private long prepareCandidate() {
        Artifact a = Artifact.of("app-7", "9.9.9", "sha256:" + "f".repeat(64));
        for (int i = 0; i < ENVIRONMENTS - 1; i++) {
            // the soak time of 30 minutes: the history says the digest ran an hour in the environment before
            backdate(a);
            Promotion p = engine.request(new PromotionRequest(env(i), a, "main", "team/app-7/main", "https://ci.example/job/app-7/99/", "ci"));
            Attempt at = engine.begin(p.id(), false, "ci");
            if (at.outcome() != Attempt.Outcome.STARTED) {
                throw new IllegalStateException("could not start in " + env(i) + ": " + at.evaluation().verdicts());
            }
            engine.finish(p.id(), true, "ci", null);
        }
        backdate(a);
        Promotion last = engine.request(new PromotionRequest(env(ENVIRONMENTS - 1), a, "main", "team/app-7/main",
                "https://ci.example/job/app-7/99/", "dave"));
        engine.approve(last.id(), Actor.user("alice"), "fine");
        return last.id();
    }

    private void backdate(Artifact a) {
        store.inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE release_line_promotion SET deployed_micros = deployed_micros - ? "
                    + "WHERE digest = ? AND deployed_micros IS NOT NULL")) {
                up.setLong(1, Duration.ofHours(1).toNanos() / 1_000);
                up.setString(2, a.digest().value());
                up.executeUpdate();
            }
            return null;
        });
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
