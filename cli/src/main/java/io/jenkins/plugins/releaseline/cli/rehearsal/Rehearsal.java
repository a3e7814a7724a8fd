package io.jenkins.plugins.releaseline.cli.rehearsal;

import io.jenkins.plugins.releaseline.cli.CanaryProgress;
import io.jenkins.plugins.releaseline.engine.drive.DriveLoop;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryDriver;
import io.jenkins.plugins.releaseline.cli.Engines;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.audit.VerificationReport;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalRule;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.Deployment;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.promotion.Verdict;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlan;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanarySpec;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Aggregate;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.HttpProbeSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.PrometheusSource;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import io.jenkins.plugins.releaseline.engine.toggles.EnvironmentSetting;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleDefinition;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The release rehearsal: the whole suite on one machine, on 127.0.0.1 only, with the engine's production classes.
 * HAProxy in front of the sample application's stable and canary slots, Prometheus scraping HAProxy when it is
 * installed (the built-in HTTP probes otherwise), an H2 store in a folder of its own, steady traffic through
 * HAProxy, and one release walked from start to end:
 * <ol>
 * <li>2.0 is promoted to integration, then to staging after its (shortened) soak time;</li>
 * <li>an Andon cord is pulled on prod, so 2.0 waits at prod; the freeze is released, the promotion approved;</li>
 * <li>2.0 goes to prod as a canary, fails (it answers 30% errors) and is rolled back by the analysis;</li>
 * <li>3.0 goes the same way, passes the canary and becomes the stable version;</li>
 * <li>a toggle is raised 10% → 50% → 100% in prod on the way.</li>
 * </ol>
 * Everything it starts is stopped at the end, on failure, and on Ctrl-C (a shutdown hook).
 */
public final class Rehearsal {

    public static final String APP = "sample-app";
    public static final String TOGGLE = "new-checkout";
    static final String JOB = "shop/sample-app/main";
    static final String APPROVER = "release-manager";
    static final String ONCALL = "oncall-alice";

    /** Where it runs and with what; the binaries are Debian's. */
    public record Settings(Path folder, Path haproxy, Path prometheus, String operator, Duration soak, String v2Plan, String v3Plan) {
        public static Settings defaults(Path folder, String operator) {
            return new Settings(folder, Haproxy.BINARY, Prometheus.BINARY, operator, Duration.ofSeconds(4),
                    "10%/10s, 50%/10s, 100%", "10%/10s, 50%/10s, 100%");
        }
    }

    /** How the release ended, for the summary and for tests. */
    public record Result(boolean ok, Duration took, String metricsFrom, String stableVersion, int stableWeight,
                         String v2CanaryState, String v2CanaryReason, String v3CanaryState, String prodVersion,
                         long freezeId, boolean freezeReleased, String toggleInProd, boolean toggleAtFull,
                         VerificationReport audit, Path report, long requests, List<String> summary) {}

    /** HAProxy is required: without it there is nothing to roll out on. */
    public static final class MissingPackages extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingPackages(String message) {
            super(message);
        }
    }

    private static final java.time.format.DateTimeFormatter CLOCK = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Settings settings;
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<Marker> markers = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final List<double[]> togglePercent = new ArrayList<>();
    private volatile boolean interrupted;

    /** A moment worth marking on the charts. */
    record Marker(double atSeconds, String label) {}

    public Rehearsal(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Whether Ctrl-C (or another signal ending the JVM) stopped the rehearsal. */
    public boolean interrupted() {
        return interrupted;
    }

    /** The packages to install, or null when HAProxy is there. */
    public static String missingPackagesMessage(Path haproxy) {
        if (Files.isExecutable(haproxy)) {
            return null;
        }
        return "The rehearsal needs HAProxy, and " + haproxy + " is missing. Install the Debian packages with:\n"
                + "  sudo apt-get update && sudo apt-get install -y haproxy prometheus\n"
                + "(haproxy is required; prometheus is optional: without it the canary analysis uses the built-in HTTP probes.)";
    }

    public Result run() throws Exception {
        String missing = missingPackagesMessage(settings.haproxy());
        if (missing != null) {
            throw new MissingPackages(missing);
        }
        Thread hook = new Thread(() -> {
            interrupted = true;
            out.println();
            out.println("interrupted: stopping everything the rehearsal started (traffic, Prometheus, HAProxy, sample app, store)");
            out.flush();
            stopAll();
            out.println("stopped; the log files are in " + settings.folder());
            out.flush();
        }, "release-line-rehearsal-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return walk();
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: everything is stopped either way
            }
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        synchronized (started) {
            started.push(resource);
        }
        return resource;
    }

    /** Stops everything started, newest first; safe to call twice (from the hook and the normal end). */
    private void stopAll() {
        while (true) {
            AutoCloseable next;
            synchronized (started) {
                next = started.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                out.println("could not stop " + next + ": " + e.getMessage());
            }
        }
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void say(String line) {
        // the engine's texts carry instants to the nanosecond, in UTC: the log shows local times to the second
        String text = String.format(Locale.ROOT, "[%s +%5.1fs] %s", LocalTime.now().format(CLOCK), seconds(),
                CanaryProgress.readableTimes(line));
        synchronized (log) {
            log.add(text);
        }
        out.println(text);
        out.flush();
    }

    private void mark(String label) {
        synchronized (markers) {
            markers.add(new Marker(seconds(), label));
        }
    }

    private Result walk() throws Exception {
        Path folder = Files.createDirectories(settings.folder());
        String operator = settings.operator();
        say("rehearsal in " + folder + " (everything on 127.0.0.1)");

        Store store = Store.open(StoreSettings.h2File(folder.resolve("store"), "rehearsal"));
        Engines engines = track(new Engines(store, Clock.systemUTC()));
        say("H2 store " + folder.resolve("store.mv.db"));

        SampleApp stableSlot = track(SampleApp.start("stable", "1.0"));
        SampleApp canarySlot = track(SampleApp.start("canary", "1.0"));
        say("sample app 1.0 in the stable slot on " + stableSlot.url() + "; canary slot on " + canarySlot.url());
        Haproxy haproxy = track(new Haproxy(settings.haproxy(), folder, stableSlot, canarySlot));
        HaproxyRouter router = haproxy.router();
        say("HAProxy on " + haproxy.frontUrl() + " (Runtime API " + haproxy.socket() + "): " + router.read().percent());

        Prometheus prometheus = null;
        if (Files.isExecutable(settings.prometheus())) {
            prometheus = track(new Prometheus(settings.prometheus(), folder, haproxy.metricsTarget()));
        }
        Traffic traffic = track(new Traffic(startNanos, haproxy.frontUrl(), router, 3));
        say("traffic: 3 users sending requests through HAProxy without pause");
        String metricsFrom;
        CanaryAnalysis analysis;
        if (prometheus != null) {
            prometheus.awaitFirstScrape(Duration.ofSeconds(60));
            metricsFrom = "Prometheus (" + settings.prometheus() + ") scraping HAProxy every second";
            analysis = prometheusAnalysis(prometheus.url());
        } else {
            metricsFrom = "the built-in HTTP probes (no Prometheus at " + settings.prometheus() + ")";
            analysis = probeAnalysis(stableSlot, canarySlot);
        }
        say("canary analysis from " + metricsFrom);

        PromotionEngine promotions = engines.promotions();
        // what runs before the rehearsal: 1.0, in prod on the stable slot, recorded in the ledger like any release
        promotions.configure(EnvironmentOrder.of(List.of(
                Environment.first("integration"),
                Environment.after("integration", "staging", Duration.ZERO, ApprovalRule.NONE),
                Environment.after("staging", "prod", Duration.ZERO, ApprovalRule.NONE))), operator);
        Artifact v1 = artifact("1.0");
        for (String environment : List.of("integration", "staging", "prod")) {
            Promotion p = promotions.request(new PromotionRequest(environment, v1, "main", JOB, null, operator));
            if (promotions.begin(p.id(), false, operator).outcome() != Attempt.Outcome.STARTED) {
                throw new IllegalStateException("could not record " + v1 + " in " + environment);
            }
            promotions.finish(p.id(), true, operator, "running before the rehearsal");
        }
        say("prod runs " + v1 + " on the stable slot (recorded through integration -> staging -> prod before the rehearsal)");
        promotions.configure(EnvironmentOrder.of(List.of(
                Environment.first("integration"),
                Environment.after("integration", "staging", settings.soak(), ApprovalRule.NONE),
                Environment.after("staging", "prod", settings.soak(), ApprovalRule.of(1, java.util.Set.of(), java.util.Set.of(), true)))),
                operator);
        say("environments: integration -> staging (soak " + human(settings.soak()) + ") -> prod (soak " + human(settings.soak())
                + ", one approval by someone else)");

        FeatureToggles toggles = engines.toggles();
        toggles.addEnvironment(operator, "prod", "rehearsal");
        toggles.define(operator, ToggleDefinition.bool(TOGGLE, "The new checkout page", "shop-team"), "rehearsal");
        synchronized (togglePercent) {
            togglePercent.add(new double[] {seconds(), 0});
        }
        say("toggle " + TOGGLE + " defined, off in prod");

        // ---- 2.0
        mark("2.0 promoted");
        Artifact v2 = artifact("2.0");
        through(promotions, v2, "integration", operator);
        through(promotions, v2, "staging", operator);
        raise(toggles, 10, operator);

        Freeze freeze = engines.board().pull(ONCALL, PullRequest.of(FreezeScope.environment("prod"),
                "INC-42: payments degraded, hold prod deployments"));
        mark("freeze pulled");
        say("ANDON: " + ONCALL + " pulled freeze-" + freeze.id() + " on " + freeze.scope() + ": " + freeze.reason());
        Promotion toProd = promotions.request(new PromotionRequest("prod", v2, "main", JOB, null, operator));
        Attempt blocked = promotions.begin(toProd.id(), true, operator);
        say("promotion " + toProd.id() + " " + v2 + " -> prod: " + blocked.outcome());
        verdicts(blocked);
        if (blocked.evaluation().of("freeze").verdict() != Verdict.WAIT) {
            throw new IllegalStateException("the freeze gate did not hold the promotion: " + blocked.evaluation().verdicts());
        }
        LocalProcess.pause(1500);
        Freeze released = engines.board().release(ONCALL, freeze.id(), "INC-42 resolved");
        mark("freeze released");
        say("ANDON: " + ONCALL + " released freeze-" + released.id() + " (" + released.releaseNote() + ")");
        Attempt waiting = promotions.begin(toProd.id(), true, operator);
        verdicts(waiting);
        promotions.approve(toProd.id(), Actor.user(APPROVER), "canary plan reviewed");
        say("promotion " + toProd.id() + " approved by " + APPROVER);
        startedAfterWaiting(promotions, toProd, operator);
        raise(toggles, 50, operator);

        canarySlot.deploy("2.0", 0.30);
        say("deployed 2.0 to the canary slot (this build answers 30% of requests with errors)");
        mark("2.0 canary");
        CanaryRollout v2Canary = canary(engines, router, analysis, "sample-app-2.0", settings.v2Plan(), operator);
        mark("2.0 " + v2Canary.state().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        promotions.finish(toProd.id(), false, operator, "canary " + v2Canary.state() + ": " + v2Canary.reason());
        say("promotion " + toProd.id() + " recorded as failed; prod still runs " + stableSlot.version() + " on the stable slot");

        // ---- 3.0
        mark("3.0 promoted");
        Artifact v3 = artifact("3.0");
        through(promotions, v3, "integration", operator);
        through(promotions, v3, "staging", operator);
        Promotion v3Prod = promotions.request(new PromotionRequest("prod", v3, "main", JOB, null, operator));
        Attempt v3Wait = promotions.begin(v3Prod.id(), true, operator);
        say("promotion " + v3Prod.id() + " " + v3 + " -> prod: " + v3Wait.outcome());
        verdicts(v3Wait);
        promotions.approve(v3Prod.id(), Actor.user(APPROVER), "fix for the 2.0 errors");
        say("promotion " + v3Prod.id() + " approved by " + APPROVER);
        startedAfterWaiting(promotions, v3Prod, operator);
        canarySlot.deploy("3.0", 0.0);
        say("deployed 3.0 to the canary slot");
        mark("3.0 canary");
        CanaryRollout v3Canary = canary(engines, router, analysis, "sample-app-3.0", settings.v3Plan(), operator);
        mark("3.0 " + v3Canary.state().name().toLowerCase(Locale.ROOT));
        if (v3Canary.state() == io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState.SUCCEEDED) {
            promotions.finish(v3Prod.id(), true, operator, "canary succeeded");
            stableSlot.deploy("3.0", 0.0);
            router.apply(TrafficSplit.of("stable", "canary", 0));
            mark("3.0 stable");
            say("3.0 is the stable version: deployed to the stable slot, which takes 100% again: " + router.read().percent());
        } else {
            promotions.finish(v3Prod.id(), false, operator, "canary " + v3Canary.state() + ": " + v3Canary.reason());
            say("3.0 did not pass its canary: " + v3Canary.reason());
        }
        raise(toggles, 100, operator);
        LocalProcess.pause(1500);

        // ---- the end state
        traffic.close();
        VerificationReport audit = engines.audit().verify();
        say(String.valueOf(audit)); // "audit trail intact (N records)"
        Freeze freezeNow = engines.board().freeze(freeze.id()).orElseThrow();
        boolean freezeReleased = freezeNow.releasedAt() != null;
        EnvironmentSetting toggle = toggles.toggle(TOGGLE).orElseThrow().setting("prod");
        boolean toggleFull = toggle.enabled() && toggle.rollout() == null && ToggleDefinition.ON.equals(toggle.defaultVariant());
        TrafficSplit split = router.read();
        String prodVersion = promotions.current("prod").stream().filter(d -> d.artifact().name().equals(APP)).findFirst()
                .map(Deployment::artifact).map(Artifact::version).orElse("none");
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        boolean ok = "3.0".equals(stableSlot.version()) && split.of("stable") == 100 && audit.intact() && freezeReleased && toggleFull
                && v2Canary.state() == io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState.ROLLED_BACK
                && v3Canary.state() == io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState.SUCCEEDED
                && "3.0".equals(prodVersion);
        List<String> summary = new ArrayList<>();
        summary.add("Release rehearsal " + (ok ? "done" : "ended, NOT as planned") + " in " + String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0));
        summary.add("  2.0  integration -> staging (soak " + human(settings.soak()) + ") -> prod held by freeze-" + freeze.id()
                + " (pulled by " + ONCALL + ", released), approved by " + APPROVER);
        summary.add("       canary " + v2Canary.state() + " at " + v2Canary.step().weight() + "%: " + failedMetrics(engines, v2Canary.id()));
        summary.add("  3.0  integration -> staging -> prod, approved; canary " + v3Canary.state() + "; stable slot runs "
                + stableSlot.version() + " at " + split.of("stable") + "%");
        summary.add("  prod runs " + APP + " " + prodVersion + " (promotion ledger)");
        summary.add("  toggle " + TOGGLE + " in prod: 10% -> 50% -> 100% (now " + describe(toggle) + ")");
        summary.add("  audit trail " + (audit.intact() ? "intact" : "BROKEN") + ", " + audit.recordsChecked() + " records");
        summary.add("  traffic: " + traffic.totalRequests() + " requests through HAProxy; metrics from " + metricsFrom);
        Path report = folder.resolve("rehearsal-report.html");
        List<double[]> toggleSteps;
        synchronized (togglePercent) {
            toggleSteps = List.copyOf(togglePercent);
        }
        HtmlReport.write(report, summary, snapshot(log), traffic.weights(), toggleSteps, traffic.counts(), snapshotMarkers());
        summary.add("  report: " + report);
        out.println();
        summary.forEach(out::println);
        out.flush();
        return new Result(ok, took, metricsFrom, stableSlot.version(), split.of("stable"), v2Canary.state().name(), v2Canary.reason(),
                v3Canary.state().name(), prodVersion, freeze.id(), freezeReleased, describe(toggle), toggleFull, audit, report,
                traffic.totalRequests(), List.copyOf(summary));
    }

    private List<String> snapshot(List<String> lines) {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private List<Marker> snapshotMarkers() {
        synchronized (markers) {
            return List.copyOf(markers);
        }
    }

    static String describe(EnvironmentSetting s) {
        if (!s.enabled()) {
            return "off";
        }
        return s.rollout() == null ? "on for everyone" : "on for " + s.rollout().percentage() + "%";
    }

    /** The metrics that failed the rollout's last analysis, each with the first clause of its reason. */
    static String failedMetrics(Engines engines, String rolloutId) {
        List<io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryEvent> analyses = engines.canaries().events(rolloutId).stream()
                .filter(e -> e.kind() == io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryEvent.Kind.ANALYSIS).toList();
        if (analyses.isEmpty()) {
            return "no analysis ran";
        }
        return io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController.metricsOf(analyses.get(analyses.size() - 1)).stream()
                .filter(m -> m.verdict() != io.jenkins.plugins.releaseline.engine.rollout.analysis.Verdict.PASS)
                .map(m -> m.metric() + " " + m.verdict() + " (" + m.reason().split(";")[0] + ")")
                .collect(Collectors.joining(", "));
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private void raise(FeatureToggles toggles, int percent, String operator) {
        EnvironmentSetting s = toggles.set(operator, TOGGLE, "prod", true, percent, "rehearsal: raise to " + percent + "%");
        mark(TOGGLE + " " + percent + "%");
        synchronized (togglePercent) {
            togglePercent.add(new double[] {seconds(), percent});
        }
        say("toggle " + TOGGLE + " in prod: " + describe(s));
    }

    private void verdicts(Attempt attempt) {
        for (GateVerdict v : attempt.evaluation().verdicts()) {
            say(String.format(Locale.ROOT, "    %-5s %-20s %s", v.verdict(), v.gate(), v.reason()));
        }
    }

    /** Promotes to an environment whose deployment is only recorded here (integration, staging), waiting for its gates. */
    private void through(PromotionEngine promotions, Artifact artifact, String environment, String operator) {
        Promotion p = promotions.request(new PromotionRequest(environment, artifact, "main", JOB, null, operator));
        startedAfterWaiting(promotions, p, operator);
        promotions.finish(p.id(), true, operator, "deployed");
        say("promotion " + p.id() + ": " + artifact + " deployed to " + environment);
    }

    private void startedAfterWaiting(PromotionEngine promotions, Promotion p, String operator) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        String last = null;
        while (true) {
            Attempt a = promotions.begin(p.id(), true, operator);
            switch (a.outcome()) {
                case STARTED -> {
                    say("promotion " + p.id() + " " + p.artifact() + " -> " + p.environment() + ": every gate passes, deploying");
                    return;
                }
                case REFUSED -> throw new IllegalStateException("promotion " + p.id() + " refused: " + a.evaluation().failed());
                default -> {
                    String waiting = a.evaluation().waiting().stream().map(GateVerdict::toString).collect(Collectors.joining("; "));
                    if (!waiting.equals(last)) {
                        say("promotion " + p.id() + " -> " + p.environment() + " waits: " + waiting);
                        last = waiting;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("promotion " + p.id() + " still waits after a minute: " + waiting);
                    }
                    LocalProcess.pause(1000);
                }
            }
        }
    }

    private CanaryRollout canary(Engines engines, HaproxyRouter router, CanaryAnalysis analysis, String id, String plan, String operator)
            throws InterruptedException {
        CanaryPlan p = CanaryPlan.parse(plan).withInconclusiveRetries(3, Duration.ofSeconds(3));
        CanaryDriver.create(engines.store(), engines.clock(), operator, CanarySpec.of(id, router.name(), "stable", "canary", p),
                false, false);
        say("canary " + id + " on " + router.name() + ": plan " + p.stepsText());
        CanaryProgress progress = new CanaryProgress(engines.canaries(), id, engines.clock(), line -> say("  " + line),
                Duration.ofSeconds(3));
        DriveLoop.systemClock(Duration.ofMillis(250), progress).run(
                new CanaryDriver(id, engines.store(), engines.canaries(), engines.clock(), router, () -> analysis),
                body -> "the rehearsal runs no pipeline blocks");
        CanaryRollout end = engines.canaries().get(id);
        say("canary " + id + " " + end.state() + ": router at " + router.read().percent());
        return end;
    }

    /** Error ratio per second of each HAProxy server, from its Prometheus exporter. */
    static final String ERROR_RATIO = "sum(rate(haproxy_server_http_responses_total{proxy=\"app\",server=\"{{version}}\",code=\"5xx\"}[3s]))"
            + " / sum(rate(haproxy_server_http_responses_total{proxy=\"app\",server=\"{{version}}\"}[3s]))";

    private static CanaryAnalysis prometheusAnalysis(URI prometheus) {
        MetricSource source = new PrometheusSource("prometheus", prometheus, Duration.ofSeconds(1), Duration.ofSeconds(10), Map.of());
        CanaryMetric errors = CanaryMetric.of("error-rate", "prometheus", ERROR_RATIO, Direction.LOWER_IS_BETTER)
                .withThreshold(Aggregate.MEAN, 0.01).withTolerance(0.10, 0.005).withMinSamples(5);
        return new CanaryAnalysis(List.of(errors), List.of(source), CanaryJudge.defaults());
    }

    private static CanaryAnalysis probeAnalysis(SampleApp stable, SampleApp canary) {
        MetricSource probes = new HttpProbeSource(HttpProbeSource.ID,
                Map.of("stable", URI.create(stable.url()), "canary", URI.create(canary.url())), 60, 4, Duration.ofSeconds(5));
        CanaryMetric errors = CanaryMetric.of("error-rate", HttpProbeSource.ID, "error-rate /", Direction.LOWER_IS_BETTER)
                .withThreshold(Aggregate.MEAN, 0.01).withTolerance(0.10, 0.005);
        return new CanaryAnalysis(List.of(errors), List.of(probes), CanaryJudge.defaults());
    }

    static Artifact artifact(String version) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest((APP + ":" + version).getBytes(StandardCharsets.UTF_8));
            return Artifact.of(APP, version, "sha256:" + HexFormat.of().formatHex(sha));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
