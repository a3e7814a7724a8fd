package io.jenkins.plugins.releaseline.rollout.lambda;

import io.jenkins.plugins.releaseline.rollout.canary.CanaryService;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlanParser;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaCode;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaCodeDigest;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaConnection;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDeployArguments;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDeployer;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaInvokeProbe;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaInvokeSource;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaRelease;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaRouter;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CloudWatchSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSource;
import io.jenkins.plugins.releaseline.promotion.PromotionService;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Runs {@code lambdaDeploy} in three phases, each driven by the Jenkins timer and kept in the store, so that a
 * restart loses nothing: waiting at the promotion gates (re-checked every 30 s until {@code gateTimeout}),
 * deploying (update, publish, digest check, probe: one call that a restart interrupts, reported as such), and
 * the rollout on the alias (the engine's canary controller, reconciled with the alias after a restart).
 */
public final class LambdaDeployExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(LambdaDeployExecution.class.getName());
    private static final long GATE_POLL_MILLIS = 30_000;

    private enum Phase {
        GATES,
        DEPLOYING,
        ROLLING_OUT
    }

    private final LinkedHashMap<String, Object> arguments;
    private Phase phase;
    private String principal;
    private String requestedBy;
    private String branch;
    private String zipFile;
    private String zipDigest;
    private long promotionId = -1;
    private long gateDeadlineMillis;
    private String lastGates;
    private String rolloutId;
    private String routerName;
    private String stableVersion;
    private String newVersion;

    private transient volatile ScheduledFuture<?> task;
    private transient volatile boolean finished;
    private transient LambdaDeployArguments parsed;

    LambdaDeployExecution(StepContext context, LinkedHashMap<String, Object> arguments) {
        super(context);
        this.arguments = arguments;
    }

    @Override
    public boolean start() throws Exception {
        LambdaDeployArguments args = arguments();
        Run<?, ?> run = getContext().get(Run.class);
        principal = ActingUser.id();
        Cause.UserIdCause starter = run.getCause(Cause.UserIdCause.class);
        requestedBy = starter != null && starter.getUserId() != null ? starter.getUserId() : principal;
        EnvVars env = getContext().get(EnvVars.class);
        branch = env == null ? null : env.get("BRANCH_NAME");
        if (args.zip() != null) {
            FilePath workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                throw new AbortException("zip: '" + args.zip()
                        + "' is a workspace path; call lambdaDeploy inside node { } or give s3: [...]");
            }
            FilePath source = workspace.child(args.zip());
            if (!source.exists()) {
                throw new AbortException("zip: " + source.getRemote() + " does not exist; build the zip first");
            }
            // kept with the build, so that a deployment waiting at the gates across a restart still has the bytes
            File copy = new File(run.getRootDir(), "lambda-deploy-" + UUID.randomUUID() + ".zip");
            try (OutputStream out = Files.newOutputStream(copy.toPath())) {
                source.copyTo(out);
            }
            zipFile = copy.getAbsolutePath();
            zipDigest = LambdaCodeDigest.of(Files.readAllBytes(copy.toPath())).promoted();
            log("zip " + args.zip() + " has " + zipDigest);
        }
        credentials(); // an unknown credentials id fails here, before anything is recorded
        Promotion p;
        try {
            p = release()
                    .request(args.request(
                            code(args), zipDigest, branch, run.getParent().getFullName(), run.getUrl(), requestedBy));
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
        promotionId = p.id();
        gateDeadlineMillis = Instant.now().plus(args.gateTimeout()).toEpochMilli();
        phase = Phase.GATES;
        schedule(0);
        return false;
    }

    @Override
    public void onResume() {
        switch (phase == null ? Phase.GATES : phase) {
            case GATES -> schedule(0);
            case DEPLOYING -> {
                String why =
                        "the controller restarted while the code of the function was being updated; this step changed no alias";
                try {
                    PromotionService.get().engine().finish(promotionId, false, principal, why);
                } catch (RuntimeException e) {
                    LOGGER.log(
                            Level.WARNING, "lambdaDeploy: could not record promotion " + promotionId + " as failed", e);
                }
                fail(why + "; run the step again");
            }
            case ROLLING_OUT ->
                Timer.get().submit(() -> {
                    try (LambdaClient client = client()) {
                        CanaryRollout r = CanaryService.get().controller().resume(rolloutId, router(client));
                        log("resumed after a restart: " + r.state() + " at " + r.intendedWeight() + "%");
                        schedule(0);
                    } catch (Exception e) {
                        LOGGER.log(Level.WARNING, "lambdaDeploy " + rolloutId + ": could not resume; retrying", e);
                        schedule(5_000);
                    }
                });
            default -> throw new IllegalStateException("phase " + phase);
        }
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        finished = true;
        cancelTask();
        try {
            if (phase == Phase.ROLLING_OUT && rolloutId != null) {
                try (LambdaClient client = client()) {
                    CanaryRollout r = CanaryService.get()
                            .controller()
                            .abort(rolloutId, ActingUser.id(), "the build was stopped: " + cause, router(client));
                    log("aborted with the build: " + r.state() + "; alias back on version " + stableVersion);
                }
                PromotionService.get()
                        .engine()
                        .finish(promotionId, false, principal, "the build was stopped: " + cause);
            } else if (phase == Phase.GATES && promotionId >= 0) {
                PromotionService.get().engine().cancel(promotionId, principal, "the build was stopped: " + cause);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "lambdaDeploy: could not wind down promotion " + promotionId, e);
        }
        getContext().onFailure(cause);
    }

    @Override
    public String getStatus() {
        return phase == null
                ? "starting"
                : phase + " (promotion " + promotionId + (rolloutId == null ? "" : ", rollout " + rolloutId) + ")";
    }

    private synchronized void schedule(long delayMillis) {
        if (finished) {
            return;
        }
        cancelTask();
        task = Timer.get().schedule(this::tick, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    private synchronized void cancelTask() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void tick() {
        if (finished) {
            return;
        }
        try {
            switch (phase) {
                case GATES -> gates();
                case DEPLOYING -> deploy();
                case ROLLING_OUT -> rollOut();
                default -> throw new IllegalStateException("phase " + phase);
            }
        } catch (AbortException | IllegalArgumentException | IllegalStateException e) {
            fail(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted: " + e.getMessage());
        } catch (RuntimeException e) {
            // the store, Lambda or a metric source is unreachable for a moment: the stored state is intact
            LOGGER.log(Level.WARNING, "lambdaDeploy: " + e.getMessage() + "; trying again in 5 s", e);
            schedule(5_000);
        }
    }

    private void gates() throws AbortException {
        PromotionEngine promotions = PromotionService.get().engine();
        Attempt a = promotions.begin(promotionId, true, principal);
        String summary = a.outcome() + ": "
                + a.evaluation().verdicts().stream().map(GateVerdict::toString).collect(Collectors.joining("; "));
        if (!summary.equals(lastGates)) {
            lastGates = summary;
            log("gates of promotion " + promotionId + ": " + a.outcome());
            a.evaluation().verdicts().forEach(v -> log("  " + v.gate() + ": " + v.verdict() + " - " + v.reason()));
        }
        switch (a.outcome()) {
            case STARTED -> {
                phase = Phase.DEPLOYING;
                schedule(0);
            }
            case REFUSED ->
                fail("promotion " + promotionId + " refused: "
                        + a.evaluation().failed().stream()
                                .map(v -> v.gate() + ": " + v.reason())
                                .collect(Collectors.joining("; ")));
            case WAITING -> {
                if (System.currentTimeMillis() > gateDeadlineMillis) {
                    String why = "still waiting after "
                            + CanaryPlanParser.formatDuration(arguments().gateTimeout()) + ": "
                            + a.evaluation().waiting().stream()
                                    .map(v -> v.gate() + ": " + v.reason())
                                    .collect(Collectors.joining("; "));
                    promotions.cancel(promotionId, principal, why);
                    fail("promotion " + promotionId + " " + why);
                } else {
                    schedule(Math.min(
                            GATE_POLL_MILLIS, Math.max(0, gateDeadlineMillis - System.currentTimeMillis()) + 100));
                }
            }
            default -> throw new IllegalStateException("outcome " + a.outcome());
        }
    }

    private void deploy() throws AbortException, InterruptedException {
        LambdaDeployArguments args = arguments();
        Run<?, ?> run = run();
        try (LambdaClient client = client()) {
            LambdaRelease.Request request = args.request(
                    code(args), zipDigest, branch, run.getParent().getFullName(), run.getUrl(), requestedBy);
            LambdaDeployer deployer = new LambdaDeployer(client, args.updateTimeout(), Duration.ofSeconds(2));
            LambdaRelease.Rollout ro = release()
                    .deploy(
                            PromotionService.get().engine().promotion(promotionId),
                            request,
                            client,
                            deployer,
                            principal);
            if (ro.finished()) {
                succeed(ro.newVersion());
                return;
            }
            rolloutId = ro.rolloutId();
            routerName = ro.routerName();
            stableVersion = ro.stableVersion();
            newVersion = ro.newVersion();
            phase = Phase.ROLLING_OUT;
            schedule(0);
        } catch (io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDeployException
                | io.jenkins.plugins.releaseline.engine.rollout.router.RouterException e) {
            fail(e.getMessage());
        }
    }

    private void rollOut() throws AbortException {
        LambdaDeployArguments args = arguments();
        try (LambdaClient client = client()) {
            LambdaRelease.Rollout ro = new LambdaRelease.Rollout(
                    promotionId,
                    rolloutId,
                    routerName,
                    args.function(),
                    args.alias(),
                    stableVersion,
                    newVersion,
                    false);
            CanaryRollout r = release().advance(ro, client, analysis(client), principal);
            if (r.state() == CanaryState.SUCCEEDED) {
                succeed(newVersion);
            } else if (r.state().terminal()) {
                fail("rolled back: alias " + args.alias() + " of " + args.function() + " is back on version "
                        + stableVersion + ": " + r.reason());
            } else {
                long delay = 2_000;
                if (r.state() != CanaryState.PAUSED && r.wakeAt() != null) {
                    delay = Math.min(
                            5_000,
                            Math.max(
                                    100,
                                    Duration.between(Instant.now(), r.wakeAt()).toMillis()));
                }
                schedule(delay);
            }
        }
    }

    private LambdaRelease release() {
        CanaryController canaries = CanaryService.get().controller();
        return new LambdaRelease(PromotionService.get().engine(), canaries, this::log);
    }

    private LambdaRouter router(LambdaClient client) throws AbortException {
        LambdaDeployArguments args = arguments();
        return LambdaRouter.of(routerName, client, args.function(), args.alias(), stableVersion, newVersion);
    }

    private CanaryAnalysis analysis(LambdaClient client) throws AbortException {
        LambdaDeployArguments args = arguments();
        List<MetricSource> sources = new ArrayList<>();
        sources.add(new LambdaInvokeSource(new LambdaInvokeProbe(client), args.function(), args.invocations()));
        if (args.usesCloudWatch()) {
            CloudWatchClientBuilder builder = CloudWatchClient.builder()
                    .region(Region.of(args.region()))
                    .httpClient(UrlConnectionHttpClient.create());
            AwsCredentialsProvider credentials = credentials();
            if (credentials != null) {
                builder.credentialsProvider(credentials);
            }
            if (args.cloudWatchEndpoint() != null) {
                builder.endpointOverride(args.cloudWatchEndpoint());
            }
            sources.add(new CloudWatchSource("cloudwatch", builder.build(), args.cloudWatchPeriod()));
        }
        return new CanaryAnalysis(args.metrics(), sources, CanaryJudge.defaults());
    }

    private LambdaClient client() throws AbortException {
        LambdaDeployArguments args = arguments();
        LambdaConnection connection =
                LambdaConnection.defaultChain(args.region()).withEndpoint(args.endpoint());
        AwsCredentialsProvider credentials = credentials();
        return (credentials == null ? connection : connection.withCredentials(credentials)).client();
    }

    /** The build's AWS credentials, or null for the default chain of the controller. */
    private AwsCredentialsProvider credentials() throws AbortException {
        String id = arguments().credentialsId();
        if (id == null) {
            return null;
        }
        AmazonWebServicesCredentials aws =
                CredentialsProvider.findCredentialById(id, AmazonWebServicesCredentials.class, run());
        if (aws == null) {
            throw new AbortException("credentialsId: no AWS credentials '" + id + "' are available to this build");
        }
        return aws;
    }

    private LambdaCode code(LambdaDeployArguments args) {
        return args.s3() != null ? args.s3() : new LambdaCode.ZipFile(new File(zipFile).toPath());
    }

    private void succeed(String version) throws AbortException {
        finished = true;
        LambdaDeployArguments args = arguments();
        log("version " + version + " of " + args.function() + " takes all the traffic of alias " + args.alias());
        getContext().onSuccess(version);
    }

    private void fail(String message) {
        finished = true;
        getContext().onFailure(new AbortException(message));
    }

    private void log(String line) {
        listener().getLogger().println("[lambda] " + line);
    }

    private TaskListener listener() {
        try {
            TaskListener l = getContext().get(TaskListener.class);
            return l == null ? TaskListener.NULL : l;
        } catch (IOException | InterruptedException e) {
            return TaskListener.NULL;
        }
    }

    private Run<?, ?> run() throws AbortException {
        try {
            return getContext().get(Run.class);
        } catch (IOException | InterruptedException e) {
            throw new AbortException("lambdaDeploy: the build is gone: " + e.getMessage());
        }
    }

    private synchronized LambdaDeployArguments arguments() throws AbortException {
        if (parsed == null) {
            try {
                parsed = LambdaDeployArguments.parse(arguments);
            } catch (IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            }
        }
        return parsed;
    }
}
