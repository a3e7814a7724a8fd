package io.jenkins.plugins.releaseline.benchmarks.drive;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.DriverRecords;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionDriver;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenDriver;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenPlan;
import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.LogManager;

/**
 * The CPU time of one {@code advance} (the advancing thread's, from {@link ThreadMXBean}) of the promotion and the
 * blue-green drivers, the way {@code CanaryDriverAdvanceCpu} measures the canary driver: an H2 file store, a router
 * held in memory, after a warm-up. Prints the median, p90 and minimum of each kind of advance.
 *
 * <ul>
 *   <li>Promotion, one environment without gates to wait for: a deploy recorded at once (gates, ledger, outcome in
 *       one advance); the body asked for (gates, lock, ledger, {@code RunBody}); an advance while the body runs;
 *       the advance that records the body's reported end.</li>
 *   <li>Blue-green, steps 50% then 100%, no pauses, a router in memory: each advance of a whole rollout, by the stage
 *       it starts in. The idle and switched checks ask a {@code TestApp} on 127.0.0.1 over HTTP, so those stages
 *       include the CPU of a loopback HTTP exchange (not its wait).</li>
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.jenkins.plugins.releaseline.benchmarks.drive.DriverAdvanceCpu 400}
 */
public final class DriverAdvanceCpu {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private DriverAdvanceCpu() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        LogManager.getLogManager().reset();
        Path folder = Files.createTempDirectory("driver-advance-cpu");
        try {
            promotion(folder.resolve("promotion"), rounds);
            blueGreen(folder.resolve("bluegreen"), rounds);
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** CPU nanoseconds of {@code work} on this thread. */
    static long cpu(Runnable work) {
        long start = MX.getCurrentThreadCpuTime();
        work.run();
        return MX.getCurrentThreadCpuTime() - start;
    }

    static void print(String kind, List<Long> samples) {
        long[] s = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        if (s.length == 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "%s: CPU median %.3f ms, p90 %.3f ms, min %.3f ms (%d advances)%n", kind,
                s[s.length / 2] / 1e6, s[s.length * 9 / 10] / 1e6, s[0] / 1e6, s.length);
    }

    // ------------------------------------------------------------------------------------------------- promotion

    static void promotion(Path dir, int rounds) throws IOException {
        Files.createDirectories(dir);
        Store store = StoreTarget.h2(dir).open("bench");
        try {
            TestClock clock = new TestClock(Instant.parse("2026-12-05T03:00:00Z"));
            FreezeCheck noFreeze = (env, job, who) -> FreezeCheck.Answer.clear();
            PromotionEngine engine = new PromotionEngine(store, new AuditTrail(store, clock), clock, noFreeze);
            engine.configure(EnvironmentOrder.of(List.of(Environment.first("integration"))), "bench");
            Map<String, List<Long>> cpu = new LinkedHashMap<>();
            int n = 0;
            for (int round = 0; round < rounds * 3 / 2; round++) {
                boolean measured = round >= rounds / 2;
                PromotionDriver atOnce = PromotionDriver.create(store, engine, "at-once-" + (++n),
                        spec("1." + n, PromotionDriver.Deploy.AT_ONCE), clock.instant());
                long a = cpu(() -> expect(atOnce.advance(clock.instant()), Next.Done.class));
                PromotionDriver body = PromotionDriver.create(store, engine, "body-" + (++n),
                        spec("1." + n, PromotionDriver.Deploy.BODY), clock.instant());
                Next[] asked = new Next[1];
                long b = cpu(() -> asked[0] = expect(body.advance(clock.instant()), Next.RunBody.class));
                long c = cpu(() -> body.advance(clock.instant()));
                body.bodyFinished(((Next.RunBody) asked[0]).bodyId(), true, null);
                long d = cpu(() -> expect(body.advance(clock.instant()), Next.Done.class));
                clock.advance(Duration.ofSeconds(1));
                if (measured) {
                    cpu.computeIfAbsent("promotion: deploy recorded at once", k -> new ArrayList<>()).add(a);
                    cpu.computeIfAbsent("promotion: body asked for", k -> new ArrayList<>()).add(b);
                    cpu.computeIfAbsent("promotion: body running, nothing due", k -> new ArrayList<>()).add(c);
                    cpu.computeIfAbsent("promotion: body reported, outcome recorded", k -> new ArrayList<>()).add(d);
                }
            }
            cpu.forEach(DriverAdvanceCpu::print);
        } finally {
            store.close();
        }
    }

    static PromotionDriver.State spec(String version, PromotionDriver.Deploy deploy) {
        PromotionDriver.State s = new PromotionDriver.State();
        s.environment = "integration";
        s.artifact = "app";
        s.version = version;
        s.digest = "sha256:" + HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(32).putInt(version.hashCode()).array());
        s.branch = "main";
        s.jobPath = "team/app";
        s.buildLink = "https://ci.example/job/app/" + version + "/";
        s.requestedBy = "bench";
        s.waitForGates = true;
        s.timeoutMillis = Duration.ofMinutes(30).toMillis();
        s.pollMillis = Duration.ofSeconds(15).toMillis();
        s.deploy = deploy;
        return s;
    }

    static <T extends Next> Next expect(Next next, Class<T> type) {
        if (!type.isInstance(next)) {
            throw new IllegalStateException("expected " + type.getSimpleName() + ", got " + next);
        }
        return next;
    }

    // ------------------------------------------------------------------------------------------------ blue-green

    /** A router in memory with the two colours. */
    static final class MemoryRouter implements TrafficRouter {
        private volatile TrafficSplit split = TrafficSplit.all("blue", List.of("blue", "green"));

        @Override
        public String name() {
            return "bench-lb";
        }

        @Override
        public List<String> backends() {
            return List.of("blue", "green");
        }

        @Override
        public TrafficSplit read() {
            return split;
        }

        @Override
        public TrafficSplit apply(TrafficSplit target) {
            split = target;
            return target;
        }

        @Override
        public Map<String, BackendHealth> health() {
            return Map.of();
        }
    }

    static void blueGreen(Path dir, int rounds) throws IOException {
        Files.createDirectories(dir);
        Store store = StoreTarget.h2(dir).open("bench");
        TestApp blue = TestApp.start("blue", "1.0");
        TestApp green = TestApp.start("green", "1.1");
        try {
            TestClock clock = new TestClock(Instant.parse("2026-12-05T03:00:00Z"));
            AuditTrail audit = new AuditTrail(store, clock);
            MemoryRouter router = new MemoryRouter();
            Map<String, List<Long>> cpu = new LinkedHashMap<>();
            int warm = rounds / 4;
            int whole = rounds / 2;
            for (int round = 0; round < warm + whole; round++) {
                String id = "bg-" + round;
                BlueGreenPlan plan = new BlueGreenPlan("prod", "1." + round, "bench", false,
                        Map.of("blue", blue.url(), "green", green.url()),
                        new BlueGreenPlan.Check(null, 200, null, 1, 1000, 2000, 30_000), null, List.of(50, 100), 0, 0);
                BlueGreenDriver d = BlueGreenDriver.create(store, audit, clock, id, router, plan);
                for (int i = 0; ; i++) {
                    if (i > 100) {
                        throw new IllegalStateException("blue-green rollout " + id + " did not end");
                    }
                    String stage = store.read(c -> DriverRecords.load(c, id)).orElseThrow().phase();
                    Next[] next = new Next[1];
                    long t = cpu(() -> next[0] = d.advance(clock.instant()));
                    if (round >= warm) {
                        cpu.computeIfAbsent("blue-green: " + stage, k -> new ArrayList<>()).add(t);
                    }
                    if (next[0].terminal()) {
                        if (!(next[0] instanceof Next.Done)) {
                            throw new IllegalStateException("blue-green rollout " + id + ": " + next[0]);
                        }
                        break;
                    }
                    if (next[0] instanceof Next.Wait w && w.until().isAfter(clock.instant())) {
                        clock.set(w.until());
                    }
                }
                clock.advance(Duration.ofSeconds(1));
            }
            cpu.forEach(DriverAdvanceCpu::print);
        } finally {
            store.close();
            blue.close();
            green.close();
        }
    }

}
