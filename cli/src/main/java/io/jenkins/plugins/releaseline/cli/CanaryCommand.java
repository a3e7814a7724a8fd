package io.jenkins.plugins.releaseline.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.releaseline.engine.drive.DriveLoop;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSources;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryDriver;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code release-line canary}: a canary rollout on a router, with analysis, from a terminal. */
@Command(name = "canary", mixinStandardHelpOptions = true,
        description = {"Run a canary rollout against a router: each step's weight, each analysis verdict and the time left "
                + "in a pause are printed as they happen.",
                "Exit 0 when the canary reaches 100%%, 2 when it is rolled back or aborted, 1 on errors."})
final class CanaryCommand extends StoreCommand {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Mixin RouterOptions routerOptions;

    @Option(names = "--id", required = true, description = "A name for this rollout, e.g. app#42 (unique).")
    String id;

    @Option(names = "--plan", description = "Steps, e.g. '10%%/5m, 50%%/10m, 100%%' (required, except with --finish-rollback).")
    String plan;

    @Option(names = "--stable", defaultValue = "stable", description = "The stable server (default: ${DEFAULT-VALUE}).")
    String stable;

    @Option(names = "--canary", defaultValue = "canary", description = "The canary server (default: ${DEFAULT-VALUE}).")
    String canary;

    @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus to query for metrics with source 'prometheus'.")
    String prometheus;

    @Option(names = "--prometheus-step", paramLabel = "DURATION", description = "Range query step (default 10s).")
    String prometheusStep;

    @Option(names = "--analysis", paramLabel = "FILE",
            description = "A JSON list of metrics ([{\"name\":..., \"source\":\"prometheus\", \"query\":...}]); default: the built-in probes' error rate and latency.")
    Path analysisFile;

    @Option(names = "--probe-stable", paramLabel = "URL", description = "Base URL of the stable version, for the built-in probes.")
    String probeStable;

    @Option(names = "--probe-canary", paramLabel = "URL", description = "Base URL of the canary, for the built-in probes.")
    String probeCanary;

    @Option(names = "--probe-count", paramLabel = "N", description = "Probes per side per analysis (default 200).")
    Integer probeCount;

    @Option(names = "--max-failed-analyses", paramLabel = "N", description = "Failed analyses that roll back (default 1).")
    Integer maxFailed;

    @Option(names = "--router-attempts", paramLabel = "N", defaultValue = "10",
            description = "Failed attempts to set the canary back to 0%% after which the command gives up and exits 1, "
                    + "saying how to finish the rollback (default: ${DEFAULT-VALUE}).")
    int routerAttempts;

    @Option(names = "--finish-rollback",
            description = "Finish the rollback (or abort) of canary --id that a router failure left unfinished: set it to 0%% "
                    + "on the router and record it rolled back. The other rollout options are ignored.")
    boolean finishRollback;

    @Option(names = "--poll", defaultValue = "1s", description = "How often to re-read the rollout (default: ${DEFAULT-VALUE}).")
    String poll;

    @Override
    int run(Engines e) throws Exception {
        if (routerAttempts < 1) {
            throw new IllegalArgumentException("--router-attempts: must be at least 1, was " + routerAttempts);
        }
        if (finishRollback) {
            return finishRollback(e);
        }
        if (plan == null) {
            throw new IllegalArgumentException("--plan: required, e.g. --plan '10%/5m, 50%/10m, 100%'");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("plan", plan);
        args.put("stable", stable);
        args.put("canary", canary);
        if (maxFailed != null) {
            args.put("maxFailedAnalyses", maxFailed);
        }
        if (analysisFile != null) {
            args.put("analysis", readMetrics(analysisFile));
        }
        if (prometheus != null) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("url", prometheus);
            if (prometheusStep != null) {
                p.put("step", prometheusStep);
            }
            args.put("prometheus", p);
        }
        Map<String, String> probes = new LinkedHashMap<>();
        if (probeStable != null) {
            probes.put("stable", probeStable);
        }
        if (probeCanary != null) {
            probes.put("canary", probeCanary);
        }
        if (probeCount != null) {
            probes.put("count", String.valueOf(probeCount));
        }
        if (!probes.isEmpty()) {
            args.put("probes", probes);
        }
        CanaryArguments parsed = CanaryArguments.parse(args);
        if (parsed.metrics().stream().anyMatch(m -> m.source().equals("cloudwatch"))) {
            throw new IllegalArgumentException("analysis: the cloudwatch source needs AWS credentials; use it from the pipeline step");
        }
        TrafficRouter router = routerOptions.router(List.of(stable, canary));
        CanaryAnalysis analysis = MetricSources.analysis(parsed, MetricSources.Secrets.NONE);
        if (e.canaries().find(id).isEmpty()) {
            try {
                router.read();
            } catch (RouterException unreachable) {
                throw new IllegalArgumentException("router " + router.name() + " does not answer: " + unreachable.getMessage()
                        + "; nothing was changed and no canary was recorded. Check the router's address (for HAProxy, its "
                        + "'stats socket ... level admin') and run the command again.");
            }
        }
        if (!CanaryDriver.create(e.store(), e.clock(), principal(), parsed.spec(id, router.name()), false, false)) {
            throw new IllegalArgumentException("--id: a canary '" + id + "' exists already; give this one another id");
        }
        CanaryDriver driver = new CanaryDriver(id, e.store(), e.canaries(), e.clock(), router, () -> analysis)
                .withRollbackAttempts(routerAttempts);
        CanaryProgress progress = new CanaryProgress(e.canaries(), id, e.clock(), line -> {
            if (!json()) {
                out().println("[" + LocalTime.now().format(CLOCK) + "] " + line);
            }
        }, Duration.ofSeconds(10));
        Next last = DriveLoop.systemClock(Durations.parse("--poll", poll), progress)
                .run(driver, body -> "the command line runs no pipeline blocks; name a router");
        CanaryRollout end = e.canaries().find(id).orElse(null);
        if (end == null) {
            throw new RefusedException("canary " + id + ": " + last.why());
        }
        if (json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", end.id());
            doc.put("state", end.state());
            doc.put("reason", end.reason());
            doc.put("events", e.canaries().events(id));
            json(doc);
        } else {
            out().println(end.state() + ": " + end.reason());
        }
        if (last instanceof Next.Done && end.state() == CanaryState.SUCCEEDED) {
            return ExitCode.OK;
        }
        if (!end.state().terminal()) {
            spec.commandLine().getErr().println("release-line: canary " + id + " left " + end.state() + ": " + last.why()
                    + (end.state().towardsStable() ? "\nOnce the router answers, finish the rollback with:\n  " + finishCommand() : ""));
            return ExitCode.ERROR;
        }
        throw new RefusedException("canary " + id + " " + end.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + ": " + end.reason());
    }

    /** This command as it was given, with --finish-rollback: what finishes a rollback the router did not confirm. */
    String finishCommand() {
        StringBuilder b = new StringBuilder("release-line");
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            b.append(' ').append(shellWord(arg));
        }
        return b.append(" --finish-rollback").toString();
    }

    static String shellWord(String arg) {
        return arg.matches("[A-Za-z0-9_./:=,@%+#-]+") && !arg.startsWith("#") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /** Sets the canary to 0% on the router and records the rollback (or abort) that a router failure left unfinished. */
    private int finishRollback(Engines e) {
        CanaryRollout r = e.canaries().find(id)
                .orElseThrow(() -> new IllegalArgumentException("--id: there is no canary '" + id + "'"));
        if (r.state().terminal()) {
            out().println(r.state() + ": " + r.reason());
            return r.state() == CanaryState.SUCCEEDED ? ExitCode.OK : ExitCode.REFUSED;
        }
        if (!r.state().towardsStable()) {
            throw new IllegalArgumentException("--finish-rollback: canary " + id + " is " + r.state() + ", not rolling back");
        }
        TrafficRouter router = routerOptions.router(List.of(r.spec().stableBackend(), r.spec().canaryBackend()));
        CanaryRollout end;
        try {
            end = e.canaries().abort(id, principal(), "finishing the rollback", router);
        } catch (RouterException unreachable) {
            throw new IllegalArgumentException("router " + router.name() + " does not answer: " + unreachable.getMessage()
                    + "; canary " + id + " is still " + r.state());
        }
        if (!end.state().terminal()) {
            spec.commandLine().getErr().println("release-line: router " + router.name() + " still fails; canary " + id + " is still "
                    + end.state() + ": " + end.reason());
            return ExitCode.ERROR;
        }
        out().println(end.state() + ": " + end.reason());
        return ExitCode.REFUSED;
    }

    private static List<Map<String, Object>> readMetrics(Path file) {
        try {
            return new ObjectMapper().readValue(file.toFile(), new TypeReference<List<Map<String, Object>>>() {});
        } catch (IOException e) {
            throw new IllegalArgumentException("--analysis: " + file + " is not a JSON list of metrics: " + e.getMessage());
        }
    }

}
