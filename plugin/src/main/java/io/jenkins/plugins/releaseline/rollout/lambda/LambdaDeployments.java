package io.jenkins.plugins.releaseline.rollout.lambda;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaCode;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaCodeDigest;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaConnection;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDeployArguments;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDriver;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaRelease;
import io.jenkins.plugins.releaseline.promotion.PromotionService;
import io.jenkins.plugins.releaseline.rollout.canary.CanaryService;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.ContextResettingExecutorService;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What a {@code lambdaDeploy} execution needs from Jenkins: the engine's services, the build's AWS credentials,
 * and a small executor of its own for copying a zip from the workspace into the build directory (a copy from an
 * agent can take longer than a timer task may).
 */
final class LambdaDeployments {

    private static final Logger LOGGER = Logger.getLogger(LambdaDeployments.class.getName());

    /** Every Lambda and CloudWatch call of a timer task gives up after this (connect, read, attempt). */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    static final ExecutorService COPIES = new ContextResettingExecutorService(Executors.newFixedThreadPool(
            2, new NamingThreadFactory(new DaemonThreadFactory(), "Release Line lambdaDeploy zip copy")));

    private LambdaDeployments() {}

    static LambdaDriver.Services services() {
        return new LambdaDriver.Services(
                ReleaseLineStore.get().store(),
                PromotionService.get().engine(),
                CanaryService.get().controller(),
                Clock.systemUTC());
    }

    /**
     * The execution's driver: the recorded one (after a restart it goes on where it was, never deploying twice), or
     * a new one, with its promotion requested, in phase GATES (nothing is sent to AWS yet).
     */
    static LambdaDriver driver(
            StepContext context,
            String driverId,
            LambdaDeployArguments args,
            LambdaCode code,
            String zipDigest,
            String principal,
            String requestedBy,
            boolean resumed)
            throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        LambdaDriver.Services services = services();
        LambdaDriver.Access access = access(args, run);
        if (LambdaDriver.exists(services.store(), driverId)) {
            LambdaDriver d = LambdaDriver.load(driverId, services, access, line -> log(context, line));
            if (resumed) {
                log(context, Messages.LambdaDeployExecution_ResumedAfterRestart(d.phase()));
            }
            return d;
        }
        EnvVars env = context.get(EnvVars.class);
        try {
            LambdaRelease.Request r = args.request(
                    code,
                    zipDigest,
                    env == null ? null : env.get("BRANCH_NAME"),
                    run.getParent().getFullName(),
                    run.getUrl(),
                    requestedBy);
            return LambdaDriver.create(
                    driverId,
                    services,
                    access,
                    new LambdaDriver.Request(r, principal, args.updateTimeout(), args.gateTimeout()),
                    line -> log(context, line));
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** The engine's reading of the step's arguments; a bad one is refused naming it. */
    static LambdaDeployArguments parse(Map<String, Object> arguments) throws AbortException {
        try {
            return LambdaDeployArguments.parse(arguments);
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** A line in the build log, prefixed {@code [lambda]}. */
    static void log(StepContext context, String line) {
        try {
            TaskListener l = context.get(TaskListener.class);
            (l == null ? TaskListener.NULL : l).getLogger().println("[lambda] " + line);
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.FINE, "lambdaDeploy: no build log for: " + line, e);
        }
    }

    /** Region, credentials (resolved for the build), endpoint and timeouts; what to measure. */
    static LambdaDriver.Access access(LambdaDeployArguments args, Run<?, ?> run) throws AbortException {
        LambdaConnection c = LambdaConnection.defaultChain(args.region())
                .withEndpoint(args.endpoint())
                .withTimeout(CALL_TIMEOUT);
        if (args.credentialsId() != null) {
            AmazonWebServicesCredentials aws = CredentialsProvider.findCredentialById(
                    args.credentialsId(), AmazonWebServicesCredentials.class, run);
            if (aws == null) {
                throw new AbortException(Messages.LambdaDeployExecution_NoCredentials(args.credentialsId()));
            }
            c = c.withCredentials(aws);
        }
        return LambdaDriver.Access.of(args, c);
    }

    /**
     * Copies {@code zip} from the workspace into the build directory (so that a deployment waiting at the gates
     * across a restart still has the bytes) and answers its promoted digest. Runs on {@link #COPIES}.
     */
    static void copyLater(
            StepContext context, String zip, File target, Consumer<String> copied, Consumer<Throwable> failed)
            throws IOException, InterruptedException {
        FilePath workspace = context.get(FilePath.class);
        COPIES.submit(() -> {
            String digest;
            try {
                digest = copy(workspace, zip, target);
                log(context, "zip " + zip + " has " + digest);
            } catch (AbortException e) {
                failed.accept(e);
                return;
            } catch (IOException | InterruptedException | RuntimeException e) {
                failed.accept(new AbortException(Messages.LambdaDeployExecution_CopyFailed(zip, e.getMessage())));
                return;
            }
            copied.accept(digest);
        });
    }

    private static String copy(FilePath workspace, String zip, File target) throws IOException, InterruptedException {
        if (workspace == null) {
            throw new AbortException(Messages.LambdaDeployExecution_NoWorkspace(zip));
        }
        FilePath source = workspace.child(zip);
        if (!source.exists()) {
            throw new AbortException(Messages.LambdaDeployExecution_NoZip(source.getRemote()));
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target.toPath()), sha)) {
            source.copyTo(out);
        }
        return LambdaCodeDigest.parse(HexFormat.of().formatHex(sha.digest())).promoted();
    }
}
