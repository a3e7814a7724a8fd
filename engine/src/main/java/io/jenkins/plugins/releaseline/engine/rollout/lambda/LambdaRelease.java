package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryEvent;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlan;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanarySpec;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;

import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * One Lambda deployment into one environment, start to end: the promotion gates of the environment (the
 * promoted digest is the artifact identity), then the code update and publish ({@link LambdaDeployer}), the
 * pre-traffic probe ({@link LambdaInvokeProbe}), and the rollout on the alias by a canary plan or a
 * CodeDeploy-style name ({@link CanaryController} with a {@link LambdaRouter}); the promotion is recorded as
 * deployed when the new version took all the traffic, as failed when anything before that failed or the canary
 * was rolled back. Every step is written to {@code log} with the weights read back from the alias.
 */
public final class LambdaRelease {

    /**
     * What a pipeline asks for.
     *
     * @param strategy     a canary plan ({@code 10%/5m, 100%}) or a CodeDeploy name ({@code Canary10Percent5Minutes},
     *                     {@code Linear10PercentEvery1Minute}, {@code AllAtOnce})
     * @param probePayload the test payload the new version must answer without a FunctionError before any traffic
     */
    public record Request(String environment, String function, String alias, LambdaCode code, Artifact artifact, String strategy,
                          String probePayload, String branch, String jobPath, String buildLink, String requestedBy) {
        public Request {
            LambdaNames.function(function);
            LambdaNames.alias(alias);
            Objects.requireNonNull(code, "code: give s3: [bucket:, key:, version:] or zip:");
            Objects.requireNonNull(artifact, "artifact");
            LambdaRelease.strategy(strategy);
            probePayload = probePayload == null || probePayload.isBlank() ? "{}" : probePayload;
        }

        public CanaryPlan plan() {
            return LambdaRelease.strategy(strategy);
        }
    }

    /** A canary plan or a CodeDeploy-style name; the error names the argument {@code strategy}. */
    public static CanaryPlan strategy(String strategy) {
        if (strategy == null || strategy.isBlank()) {
            throw new IllegalArgumentException("strategy: must be given, e.g. Canary10Percent5Minutes, Linear10PercentEvery1Minute, "
                    + "AllAtOnce or steps such as '10%/5m, 50%/10m, 100%'");
        }
        try {
            return CanaryPlan.parse(strategy.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strategy: '" + strategy.strip() + "' is neither a CodeDeploy name (Canary10Percent5Minutes, "
                    + "Canary10Percent10Minutes, Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, "
                    + "Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes, AllAtOnce) "
                    + "nor a plan of steps (" + e.getMessage() + ")", e);
        }
    }

    /** The rollout on the alias that a deployment started: enough to find it again after a restart. */
    public record Rollout(long promotionId, String rolloutId, String routerName, String function, String alias,
                          String stableVersion, String newVersion, boolean finished) {}

    private final PromotionEngine promotions;
    private final CanaryController canaries;
    private final Consumer<String> log;

    public LambdaRelease(PromotionEngine promotions, CanaryController canaries, Consumer<String> log) {
        this.promotions = Objects.requireNonNull(promotions, "promotions");
        this.canaries = Objects.requireNonNull(canaries, "canaries");
        this.log = log == null ? s -> {} : log;
    }

    /** Records the promotion request (the strategy and names were checked when the request was made). */
    public Promotion request(Request r) {
        Promotion p = promotions.request(new PromotionRequest(r.environment(), r.artifact(), r.branch(), r.jobPath(), r.buildLink(),
                r.requestedBy()));
        log.accept("Promotion " + p.id() + ": " + r.artifact().name() + " " + r.artifact().version() + " " + r.artifact().digest()
                + " to " + r.environment() + " (" + r.function() + ":" + r.alias() + ", strategy " + r.strategy() + ")");
        return p;
    }

    /** The gates: passes through to {@link PromotionEngine#begin} and writes each verdict. */
    public Attempt begin(long promotionId, boolean mayWait, String principal) {
        Attempt a = promotions.begin(promotionId, mayWait, principal);
        log.accept("Gates of promotion " + promotionId + ": " + a.outcome());
        for (GateVerdict v : a.evaluation().verdicts()) {
            log.accept("  " + v.gate() + ": " + v.verdict() + " - " + v.reason());
        }
        return a;
    }

    /**
     * After the gates let the promotion start: update and publish, probe the new version, and start the rollout
     * on the alias (nothing moves until {@link #advance}). Any failure records the promotion as failed, with the
     * alias as it was, and is rethrown.
     */
    public Rollout deploy(Promotion p, Request r, LambdaClient client, LambdaDeployer deployer, String principal) throws InterruptedException {
        try {
            LambdaPublishedVersion v = deployer.deploy(r.function(), r.code(), r.artifact().digest().toString(), log);
            new LambdaInvokeProbe(client).requirePass(r.function(), v.version(), r.probePayload());
            log.accept("Probe: version " + v.version() + " answered the test payload without a FunctionError");
            String routerName = routerName(r.function(), r.alias());
            LambdaRouter router = LambdaRouter.forNewVersion(routerName, client, r.function(), r.alias(), v.version());
            if (router.alreadyServesNewVersion()) {
                log.accept("Alias " + r.alias() + " already points at version " + v.version() + "; no traffic to move");
                promotions.finish(p.id(), true, principal, "alias " + r.alias() + " already on version " + v.version());
                return new Rollout(p.id(), null, routerName, r.function(), r.alias(), v.version(), v.version(), true);
            }
            String id = r.environment() + "/" + routerName + "#" + p.id();
            canaries.start(principal, CanarySpec.of(id, routerName, router.stableVersion(), v.version(), r.plan()));
            log.accept("Rollout " + id + " on alias " + r.alias() + ": version " + router.stableVersion() + " -> " + v.version()
                    + ", plan " + r.plan().stepsText() + "; now " + describe(router.read()));
            return new Rollout(p.id(), id, routerName, r.function(), r.alias(), router.stableVersion(), v.version(), false);
        } catch (RuntimeException e) {
            promotions.finish(p.id(), false, principal, e.getMessage());
            log.accept("Deployment failed, alias " + r.alias() + " unchanged: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Does what is due in the rollout now; when it has ended, records the promotion's outcome. Writes every new
     * event of the rollout with the split read back from the alias.
     */
    public CanaryRollout advance(Rollout ro, LambdaClient client, CanaryAnalysis analysis, String principal) {
        LambdaRouter router = LambdaRouter.of(ro.routerName(), client, ro.function(), ro.alias(), ro.stableVersion(), ro.newVersion());
        int seen = canaries.events(ro.rolloutId()).size();
        CanaryRollout r = canaries.advance(ro.rolloutId(), router, analysis);
        List<CanaryEvent> events = canaries.events(ro.rolloutId());
        for (CanaryEvent e : events.subList(Math.min(seen, events.size()), events.size())) {
            logEvent(e, log);
        }
        if (!events.isEmpty() && events.size() > seen) {
            log.accept("Alias " + ro.alias() + " now: " + describe(router.read()));
        }
        if (r.state().terminal() && !promotions.promotion(ro.promotionId()).status().finished()) {
            // only once: a caller that advances an ended rollout again (after a restart) records nothing twice
            boolean deployed = r.state() == CanaryState.SUCCEEDED;
            promotions.finish(ro.promotionId(), deployed, principal, deployed
                    ? "version " + ro.newVersion() + " of " + ro.function() + " takes all the traffic of " + ro.alias()
                    : "rollout " + r.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + r.reason());
        }
        return r;
    }

    /** One event of the rollout on the alias, for the build log: an analysis with every metric's verdict. */
    static void logEvent(CanaryEvent e, Consumer<String> log) {
        StringBuilder line = new StringBuilder("Rollout ").append(e.kind()).append(": ");
        if (e.kind() == CanaryEvent.Kind.ANALYSIS) {
            line.append(e.verdict()).append(" score ").append(e.score()).append(" - ").append(e.message());
            CanaryController.metricsOf(e).forEach(m -> log.accept("  metric " + m.metric() + ": " + m.verdict() + " - " + m.reason()));
        } else {
            line.append(e.message());
        }
        log.accept(line.toString());
    }

    /** {@code version 6 90%, version 7 10%}. */
    static String describe(TrafficSplit split) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Integer> e : split.percent().entrySet()) {
            sb.append(sb.length() == 0 ? "" : ", ").append("version ").append(e.getKey()).append(' ').append(e.getValue()).append('%');
        }
        return sb.toString();
    }

    /** Router names are machine names: the function's own name (not its ARN) and the alias. */
    static String routerName(String function, String alias) {
        String fn = function.startsWith("arn:") ? function.substring(function.lastIndexOf(':') + 1) : function;
        return fn + "." + alias;
    }
}
