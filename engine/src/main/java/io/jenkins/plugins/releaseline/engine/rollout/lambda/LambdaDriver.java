package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.drive.Driver;
import io.jenkins.plugins.releaseline.engine.drive.DriverRecords;
import io.jenkins.plugins.releaseline.engine.drive.EffectJournal;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.GateWait;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryEvent;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanarySpec;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;

/**
 * One Lambda deployment into one environment as a persisted driver (a {@code release_line_driver} row of kind
 * {@code lambda}): GATES (the promotion's gates, every 30 s until the gate timeout) → UPDATING (one
 * {@code UpdateFunctionCode}, then one read of {@code LastUpdateStatus} per advance) → PUBLISHING (one
 * {@code PublishVersion}) → PROBING (the new version invoked with the probe payload, the rollout started) →
 * ROLLING_OUT (one {@link CanaryController#advance} per advance on a {@link LambdaRouter}) → DONE or FAILED, with
 * the promotion recorded deployed or failed once. Its client sends each request once (no SDK retries): a failure
 * is retried by a later advance, after reconciling.
 *
 * <p>The update and the publish are journaled ({@link EffectJournal}) before and after the call. An advance that
 * finds one begun but not done asks Lambda what happened instead of calling again: {@code $LATEST} already has the
 * promoted {@code CodeSha256} (the update happened), or a published version has it (the publish happened). No
 * advance sleeps; each makes a few calls, each bounded by the connection's timeouts.
 */
public final class LambdaDriver implements Driver {

    public static final String KIND = "lambda";
    /** How often a deployment waiting at the gates asks them again. */
    static final Duration GATE_POLL = Duration.ofSeconds(30);
    /** Between reads of {@code LastUpdateStatus}. */
    static final Duration STATUS_POLL = Duration.ofSeconds(2);
    /** After a call that failed in a way that may pass (throttled, no answer). */
    static final Duration RETRY = Duration.ofSeconds(5);
    /** While a rollout is paused for a person. */
    static final Duration PAUSED_POLL = Duration.ofSeconds(10);
    /** The longest wait during a rollout. */
    static final Duration LOOK_AGAIN = Duration.ofSeconds(30);

    public enum Phase { GATES, UPDATING, PUBLISHING, PROBING, ROLLING_OUT, DONE, FAILED }

    /** The engine's parts the driver works with. */
    public record Services(Store store, PromotionEngine promotions, CanaryController canaries, Clock clock) {
        public Services {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(promotions, "promotions");
            Objects.requireNonNull(canaries, "canaries");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /**
     * How to reach AWS and what to measure; given to every instance (credentials are never stored).
     *
     * @param invocations per side and analysis, for metrics on {@code lambda-invoke}
     */
    public record Access(LambdaConnection connection, List<CanaryMetric> metrics, int invocations,
                         LambdaMetricSources.CloudWatch cloudWatch) {
        public Access {
            Objects.requireNonNull(connection, "connection");
            metrics = List.copyOf(metrics);
        }

        public static Access of(LambdaDeployArguments args, LambdaConnection connection) {
            return new Access(connection, args.metrics(), args.invocations(), args.cloudWatch());
        }
    }

    /** What a pipeline asked for, once the digest is known. */
    public record Request(LambdaRelease.Request release, String principal, Duration updateTimeout, Duration gateTimeout) {
        public Request {
            Objects.requireNonNull(release, "release");
            Objects.requireNonNull(principal, "principal");
            updateTimeout = updateTimeout == null ? Duration.ofMinutes(10) : updateTimeout;
            gateTimeout = gateTimeout == null ? Duration.ofDays(1) : gateTimeout;
        }
    }

    /** Points where tests stop the process (by throwing) to see what a restart after each side effect does. */
    @FunctionalInterface
    interface Hooks {
        Hooks NONE = point -> {};

        void at(String point);
    }

    private record Step(Phase phase, Next next) {}

    private final String id;
    private final Services services;
    private final Access access;
    private final Consumer<String> log;
    private Hooks hooks = Hooks.NONE;
    /** Whether this instance reconciled the rollout with the alias yet (once per instance: after a restart). */
    private boolean resumed;
    /** The phase the running advance started in. */
    private Phase advancing;

    private LambdaDriver(String id, Services services, Access access, Consumer<String> log) {
        this.id = Objects.requireNonNull(id, "id");
        this.services = Objects.requireNonNull(services, "services");
        this.access = Objects.requireNonNull(access, "access");
        this.log = log == null ? s -> {} : log;
    }

    /**
     * Records the promotion and the driver row in phase GATES; nothing is sent to AWS. When a driver with this id
     * exists already (a start retried after a restart), that one is returned as it is.
     */
    public static LambdaDriver create(String id, Services services, Access access, Request request, Consumer<String> log) {
        LambdaDriver d = new LambdaDriver(id, services, access, log);
        if (services.store().read(c -> DriverRecords.load(c, id)).isPresent()) {
            return d;
        }
        LambdaRelease.Request r = request.release();
        Promotion p = new LambdaRelease(services.promotions(), services.canaries(), d.log).request(r);
        Instant now = services.clock().instant();
        LambdaDriverState st = new LambdaDriverState();
        st.promotionId = p.id();
        st.environment = r.environment();
        st.function = r.function();
        st.alias = r.alias();
        st.artifact = r.artifact().name();
        st.version = r.artifact().version();
        st.digest = r.artifact().digest().toString();
        if (r.code() instanceof LambdaCode.S3Object s3) {
            st.s3Bucket = s3.bucket();
            st.s3Key = s3.key();
            st.s3Version = s3.version();
        } else if (r.code() instanceof LambdaCode.ZipFile zip) {
            st.zipPath = zip.path().toAbsolutePath().toString();
        }
        st.strategy = r.strategy();
        st.probePayload = r.probePayload();
        st.principal = request.principal();
        st.gateTimeoutMillis = request.gateTimeout().toMillis();
        st.gateDeadlineMillis = now.plus(request.gateTimeout()).toEpochMilli();
        st.updateTimeoutMillis = request.updateTimeout().toMillis();
        st.routerName = LambdaRelease.routerName(r.function(), r.alias());
        services.store().inTransaction(c -> DriverRecords.insert(c, id, KIND, services.store().controllerId(),
                Phase.GATES.name(), st, now));
        return d;
    }

    /** The driver with this id, to continue after a restart; throws when there is none. */
    public static LambdaDriver load(String id, Services services, Access access, Consumer<String> log) {
        if (services.store().read(c -> DriverRecords.load(c, id)).isEmpty()) {
            throw new IllegalArgumentException("lambda: no deployment '" + id + "' is recorded");
        }
        return new LambdaDriver(id, services, access, log);
    }

    /** Whether a driver with this id is recorded. */
    public static boolean exists(Store store, String id) {
        return store.read(c -> DriverRecords.load(c, id)).isPresent();
    }

    LambdaDriver withHooks(Hooks h) {
        this.hooks = h;
        return this;
    }

    @Override
    public String id() {
        return id;
    }

    public Phase phase() {
        return Phase.valueOf(row().phase());
    }

    public LambdaDriverState state() {
        return row().document(LambdaDriverState.class);
    }

    private DriverRecords.Row row() {
        return services.store().read(c -> DriverRecords.load(c, id))
                .orElseThrow(() -> new IllegalStateException("lambda: the deployment '" + id + "' is no longer recorded"));
    }

    @Override
    public synchronized Next advance(Instant now) {
        DriverRecords.Row row = row();
        LambdaDriverState st = row.document(LambdaDriverState.class);
        Phase phase = Phase.valueOf(row.phase());
        String stop = row.stopReason();
        advancing = phase;
        Step step = switch (phase) {
            case DONE -> new Step(phase, new Next.Done(st.result, st.outcome));
            case FAILED -> new Step(phase, new Next.Failed(st.outcome));
            case GATES -> gates(st, stop, now);
            case UPDATING -> guarded(st, now, () -> updating(st, stop, now));
            case PUBLISHING -> guarded(st, now, () -> publishing(st, stop, now));
            case PROBING -> guarded(st, now, () -> probing(st, stop, now));
            case ROLLING_OUT -> rollingOut(st, stop, now);
        };
        if (phase != Phase.DONE && phase != Phase.FAILED) {
            save(step.phase(), st, now);
        }
        return step.next();
    }

    @Override
    public void bodyFinished(String bodyId, boolean succeeded, String detail) {
        // a Lambda deployment runs no pipeline body
    }

    @Override
    public void requestStop(String reason) {
        services.store().inTransaction(c -> DriverRecords.requestStop(c, id, reason, services.clock().instant()));
    }

    // ------------------------------------------------------------------------------------------------ phases

    private Step gates(LambdaDriverState st, String stop, Instant now) {
        if (stop != null) {
            services.promotions().cancel(st.promotionId, st.principal, "stopped: " + stop);
            return failed(st, "stopped at the gates: " + stop + "; promotion " + st.promotionId + " cancelled, nothing was sent to AWS");
        }
        GateWait.Result r;
        try {
            r = new GateWait(services.promotions(), GATE_POLL).check(st.promotionId, true, st.principal,
                    Instant.ofEpochMilli(st.gateDeadlineMillis), Duration.ofMillis(st.gateTimeoutMillis), now);
        } catch (IllegalArgumentException e) { // cancelled or finished meanwhile
            return failed(st, "promotion " + st.promotionId + " can no longer start: " + e.getMessage());
        }
        logGates(st, r);
        if (r instanceof GateWait.Started) {
            st.phaseDeadlineMillis = now.toEpochMilli() + st.updateTimeoutMillis;
            return new Step(Phase.UPDATING, new Next.Wait(now, "gates passed; updating the code of " + st.function));
        }
        if (r instanceof GateWait.Waiting w) {
            return new Step(Phase.GATES, new Next.Wait(w.until(), w.why()));
        }
        if (r instanceof GateWait.TimedOut t) {
            return failed(st, "promotion " + st.promotionId + " " + t.why() + "; cancelled");
        }
        return failed(st, ((GateWait.Refused) r).why());
    }

    /** Writes the gates' verdicts to the build log when they differ from the last ones written. */
    private void logGates(LambdaDriverState st, GateWait.Result r) {
        String outcome = r instanceof GateWait.Started ? "STARTED" : r instanceof GateWait.Refused ? "REFUSED" : "WAITING";
        List<GateVerdict> verdicts = r.evaluation() == null ? List.of() : r.evaluation().verdicts();
        String summary = outcome + ": " + verdicts.stream().map(GateVerdict::toString).collect(Collectors.joining("; "));
        if (!summary.equals(st.gateSummary)) {
            log.accept("Gates of promotion " + st.promotionId + ": " + outcome);
            verdicts.forEach(v -> log.accept("  " + v.gate() + ": " + v.verdict() + " - " + v.reason()));
        }
        st.gateSummary = summary;
    }

    private Step updating(LambdaDriverState st, String stop, Instant now) {
        if (stop != null) {
            return stoppedBeforeRollout(st, stop, "while the code was being updated");
        }
        String fn = st.function;
        LambdaCodeDigest expected = st.expected();
        try (LambdaClient client = access.connection().clientWithoutRetries()) {
            LambdaDeployer d = deployer(client, st);
            EffectJournal.State update = journal("update");
            if (update != EffectJournal.State.DONE) {
                GetFunctionConfigurationResponse c = d.status(fn);
                if (update == EffectJournal.State.BEGUN && sameCode(c, expected)) {
                    done("update", "found " + expected.promoted() + " in $LATEST after a restart", now);
                    log.accept("The update of " + fn + " had reached Lambda before the restart; not sending it again");
                    st.phaseDeadlineMillis = now.toEpochMilli() + st.updateTimeoutMillis;
                    return new Step(Phase.UPDATING, new Next.Wait(now, "update found"));
                }
                if (c.lastUpdateStatus() == LastUpdateStatus.IN_PROGRESS) {
                    return retry(st, now, STATUS_POLL, "waiting for an update of " + fn + " already in progress",
                            "function: an update of '" + fn + "' was in progress before this one and still is");
                }
                byte[] zip = st.zipPath != null ? LambdaDeployer.checkedZip((LambdaCode.ZipFile) st.code(), expected) : null;
                begin("update", st.code().describe(), now);
                hooks.at("update:begun");
                log.accept("Updating the code of " + fn + " from " + st.code().describe());
                d.startUpdate(fn, st.code(), zip);
                hooks.at("update:called");
                done("update", st.code().describe(), now);
                hooks.at("update:done");
                st.phaseDeadlineMillis = now.toEpochMilli() + st.updateTimeoutMillis;
                return new Step(Phase.UPDATING, new Next.Wait(now.plus(STATUS_POLL), "update of " + fn + " started"));
            }
            GetFunctionConfigurationResponse c = d.status(fn);
            if (c.lastUpdateStatus() == LastUpdateStatus.IN_PROGRESS) {
                return retry(st, now, STATUS_POLL, "the update of " + fn + " is InProgress", "function: the update of '" + fn
                        + "' was still InProgress after " + st.updateTimeoutMillis / 1000 + " s; nothing was published and no alias was changed");
            }
            LambdaDeployer.requireUpdated(fn, st.code(), c, expected);
            st.revisionId = c.revisionId();
            st.lastError = null;
            st.phaseDeadlineMillis = now.toEpochMilli() + st.updateTimeoutMillis;
            log.accept("The update of " + fn + " succeeded: $LATEST has CodeSha256 " + expected.codeSha256() + " = " + expected.promoted());
            return new Step(Phase.PUBLISHING, new Next.Wait(now, "publishing " + fn));
        }
    }

    private Step publishing(LambdaDriverState st, String stop, Instant now) {
        if (stop != null) {
            return stoppedBeforeRollout(st, stop, "before the version was published");
        }
        String fn = st.function;
        Optional<EffectJournal.Effect> effect = services.store().read(c -> EffectJournal.find(c, id, "publish"));
        if (effect.isPresent() && effect.get().state() == EffectJournal.State.DONE) {
            return published(st, effect.get().detail(), now);
        }
        try (LambdaClient client = access.connection().clientWithoutRetries()) {
            LambdaDeployer d = deployer(client, st);
            if (effect.isPresent()) {
                Optional<LambdaPublishedVersion> found = d.findPublished(fn, st.expected());
                if (found.isPresent()) {
                    done("publish", found.get().version(), now);
                    log.accept("Version " + found.get().version() + " of " + fn + " had been published before the restart; not publishing again");
                    return published(st, found.get().version(), now);
                }
            }
            begin("publish", st.expected().promoted(), now);
            hooks.at("publish:begun");
            LambdaPublishedVersion v = d.publish(fn, st.expected(), st.revisionId);
            hooks.at("publish:called");
            done("publish", v.version(), now);
            hooks.at("publish:done");
            log.accept("Published " + fn + " version " + v.version() + " with CodeSha256 " + v.digest().codeSha256() + " = " + v.digest().promoted());
            return published(st, v.version(), now);
        }
    }

    private Step published(LambdaDriverState st, String version, Instant now) {
        st.newVersion = version;
        st.lastError = null;
        st.phaseDeadlineMillis = now.toEpochMilli() + st.updateTimeoutMillis;
        return new Step(Phase.PROBING, new Next.Wait(now, "probing version " + version));
    }

    private Step probing(LambdaDriverState st, String stop, Instant now) {
        if (stop != null) {
            return stoppedBeforeRollout(st, stop, "before the new version took any traffic");
        }
        String rolloutId = st.environment + "/" + st.routerName + "#" + st.promotionId;
        Optional<CanaryRollout> existing = services.canaries().find(rolloutId);
        if (existing.isPresent()) { // started before a restart
            st.rolloutId = rolloutId;
            st.stableVersion = existing.get().spec().stableBackend();
            return new Step(Phase.ROLLING_OUT, new Next.Wait(now, "rolling out"));
        }
        try (LambdaClient client = access.connection().clientWithoutRetries()) {
            new LambdaInvokeProbe(client).requirePass(st.function, st.newVersion, st.probePayload);
            log.accept("Probe: version " + st.newVersion + " answered the test payload without a FunctionError");
            LambdaRouter router = LambdaRouter.forNewVersion(st.routerName, client, st.function, st.alias, st.newVersion);
            if (router.alreadyServesNewVersion()) {
                log.accept("Alias " + st.alias + " already points at version " + st.newVersion + "; no traffic to move");
                finishPromotion(st, true, "alias " + st.alias + " already on version " + st.newVersion);
                return done(st, "alias " + st.alias + " already on version " + st.newVersion);
            }
            LambdaRelease.Request plan = new LambdaRelease.Request(st.environment, st.function, st.alias, st.code(),
                    io.jenkins.plugins.releaseline.engine.promotion.Artifact.of(st.artifact, st.version, st.digest), st.strategy,
                    st.probePayload, null, null, null, st.principal);
            services.canaries().start(st.principal, CanarySpec.of(rolloutId, st.routerName, router.stableVersion(), st.newVersion, plan.plan()));
            st.rolloutId = rolloutId;
            st.stableVersion = router.stableVersion();
            st.lastError = null;
            resumed = true; // this instance started it: nothing to reconcile
            log.accept("Rollout " + rolloutId + " on alias " + st.alias + ": version " + st.stableVersion + " -> " + st.newVersion
                    + ", plan " + plan.plan().stepsText() + "; now " + LambdaRelease.describe(router.read()));
            return new Step(Phase.ROLLING_OUT, new Next.Wait(now, "rolling out"));
        }
    }

    private Step rollingOut(LambdaDriverState st, String stop, Instant now) {
        CanaryController canaries = services.canaries();
        try (LambdaClient client = access.connection().clientWithoutRetries()) {
            TrafficRouter router = new Hooked(LambdaRouter.of(st.routerName, client, st.function, st.alias, st.stableVersion, st.newVersion), hooks);
            if (!resumed) {
                canaries.resume(st.rolloutId, router);
                resumed = true;
            }
            CanaryRollout r = canaries.get(st.rolloutId);
            if (stop != null && !r.state().terminal() && !r.state().towardsStable()) {
                log.accept("Stopping: alias " + st.alias + " goes back to version " + st.stableVersion);
                r = canaries.abort(st.rolloutId, st.principal, "stopped: " + stop, router);
            } else if (!r.state().terminal()) {
                try (LambdaMetricSources sources = new LambdaMetricSources(access.metrics(), client, st.function,
                        access.invocations(), access.connection(), access.cloudWatch())) {
                    r = canaries.advance(st.rolloutId, router, sources.analysis());
                }
            }
            logEvents(st, router);
            if (r.state() == CanaryState.SUCCEEDED) {
                String why = "version " + st.newVersion + " of " + st.function + " takes all the traffic of " + st.alias;
                finishPromotion(st, true, why);
                return done(st, why);
            }
            if (r.state().terminal()) {
                String why = "rolled back: alias " + st.alias + " of " + st.function + " is back on version " + st.stableVersion
                        + ": " + r.reason();
                finishPromotion(st, false, "rollout " + r.state().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + r.reason());
                return failed(st, why);
            }
            // a pause, promotion or abort made on the rollout's page is seen within LOOK_AGAIN
            Instant next = r.state() == CanaryState.PAUSED || r.wakeAt() == null ? now.plus(PAUSED_POLL)
                    : r.wakeAt().isBefore(now) ? now : r.wakeAt().isAfter(now.plus(LOOK_AGAIN)) ? now.plus(LOOK_AGAIN) : r.wakeAt();
            return new Step(Phase.ROLLING_OUT, new Next.Wait(next, "rollout " + r.state() + " at " + r.intendedWeight() + "%"));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface PhaseWork {
        Step run();
    }

    /**
     * Runs a deploy phase: a refusal (bad input, Lambda's update failed, the digest differs, the probe failed)
     * fails the deployment with the alias unchanged; a failure that may pass (no answer, throttled) is tried again
     * until the phase's deadline.
     */
    private Step guarded(LambdaDriverState st, Instant now, PhaseWork work) {
        try {
            return work.run();
        } catch (LambdaDeployException | RouterException e) {
            boolean retryable = e instanceof LambdaDeployException l ? l.retryable() : ((RouterException) e).retryable();
            if (retryable) {
                return retry(st, now, RETRY, e.getMessage(), e.getMessage());
            }
            return failDeploy(st, e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            return failDeploy(st, e.getMessage());
        }
    }

    /** Waits and tries the same phase again, or fails it with {@code failure} once its deadline has passed. */
    private Step retry(LambdaDriverState st, Instant now, Duration after, String why, String failure) {
        if (now.toEpochMilli() >= st.phaseDeadlineMillis) {
            return failDeploy(st, failure + (failure.equals(st.lastError) || st.lastError == null ? "" : " (last error: " + st.lastError + ")"));
        }
        if (!why.equals(st.lastError)) {
            log.accept(why + "; trying again until " + Instant.ofEpochMilli(st.phaseDeadlineMillis));
        }
        st.lastError = why;
        Instant at = now.plus(after);
        Instant deadline = Instant.ofEpochMilli(st.phaseDeadlineMillis);
        return new Step(advancing, new Next.Wait(at.isAfter(deadline) ? deadline : at, why));
    }

    private Step stoppedBeforeRollout(LambdaDriverState st, String stop, String when) {
        services.promotions().cancel(st.promotionId, st.principal, "stopped " + when + ": " + stop);
        return failed(st, "stopped " + when + ": " + stop + "; promotion " + st.promotionId + " cancelled, alias " + st.alias
                + " unchanged");
    }

    private Step failDeploy(LambdaDriverState st, String message) {
        finishPromotion(st, false, message);
        log.accept("Deployment failed, alias " + st.alias + " unchanged: " + message);
        return failed(st, message);
    }

    private Step failed(LambdaDriverState st, String why) {
        st.outcome = why;
        return new Step(Phase.FAILED, new Next.Failed(why));
    }

    private Step done(LambdaDriverState st, String why) {
        st.outcome = why;
        st.result = st.newVersion;
        log.accept("Version " + st.newVersion + " of " + st.function + " takes all the traffic of alias " + st.alias);
        return new Step(Phase.DONE, new Next.Done(st.newVersion, why));
    }

    /** Records the promotion's outcome once: a promotion no longer deploying (recorded before a restart) is left. */
    private void finishPromotion(LambdaDriverState st, boolean deployed, String comment) {
        Promotion p = services.promotions().promotion(st.promotionId);
        if (p.status() == PromotionStatus.DEPLOYING) {
            services.promotions().finish(st.promotionId, deployed, st.principal, comment);
        }
    }

    private void logEvents(LambdaDriverState st, TrafficRouter router) {
        List<CanaryEvent> events = services.canaries().events(st.rolloutId);
        int seen = Math.min(st.rolloutEventsLogged, events.size());
        for (CanaryEvent e : events.subList(seen, events.size())) {
            LambdaRelease.logEvent(e, log);
        }
        if (events.size() > seen) {
            try {
                log.accept("Alias " + st.alias + " now: " + LambdaRelease.describe(router.read()));
            } catch (RouterException e) {
                log.accept("Alias " + st.alias + " could not be read: " + e.getMessage());
            }
        }
        st.rolloutEventsLogged = events.size();
    }

    private LambdaDeployer deployer(LambdaClient client, LambdaDriverState st) {
        return new LambdaDeployer(client, Duration.ofMillis(Math.max(1, st.updateTimeoutMillis)), STATUS_POLL, d -> {
            throw new IllegalStateException("a Lambda driver never waits on its thread");
        });
    }

    private static boolean sameCode(GetFunctionConfigurationResponse c, LambdaCodeDigest expected) {
        return c.codeSha256() != null && LambdaCodeDigest.fromCodeSha256(c.codeSha256()).equals(expected);
    }

    private EffectJournal.State journal(String effect) {
        return services.store().read(c -> EffectJournal.state(c, id, effect));
    }

    private void begin(String effect, String detail, Instant now) {
        services.store().inTransaction(c -> {
            EffectJournal.begin(c, id, effect, detail, now);
            return null;
        });
    }

    private void done(String effect, String detail, Instant now) {
        services.store().inTransaction(c -> {
            EffectJournal.done(c, id, effect, detail, now);
            return null;
        });
    }

    /** Writes the phase and document; a stop request recorded meanwhile only bumped the version, so take the newest. */
    private void save(Phase phase, LambdaDriverState st, Instant now) {
        services.store().inTransaction(c -> {
            DriverRecords.Row current = DriverRecords.lock(c, id)
                    .orElseThrow(() -> new IllegalStateException("lambda: the deployment '" + id + "' is no longer recorded"));
            return DriverRecords.update(c, id, current.version(), phase.name(), st, now);
        });
    }

    /** The router with a test's stop point after each change of the alias. */
    private record Hooked(LambdaRouter router, Hooks hooks) implements TrafficRouter {
        @Override
        public String name() {
            return router.name();
        }

        @Override
        public List<String> backends() {
            return router.backends();
        }

        @Override
        public TrafficSplit read() {
            return router.read();
        }

        @Override
        public TrafficSplit apply(TrafficSplit target) {
            TrafficSplit s = router.apply(target);
            hooks.at("alias:" + target.of(router.newVersion()));
            return s;
        }

        @Override
        public Map<String, BackendHealth> health() {
            return router.health();
        }
    }

    @Override
    public String toString() {
        return "Lambda deployment " + id;
    }
}
