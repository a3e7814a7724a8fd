package io.jenkins.plugins.releaseline.rollout.lambda;

import hudson.AbortException;
import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.DriverStepExecution;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaCode;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDeployArguments;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDriver;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.UUID;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Drives a {@link LambdaDriver} (see {@link DriverStepExecution}); a zip from the workspace is first copied into the
 * build directory on {@link LambdaDeployments#COPIES}, and the driver is created once the copy's digest is known.
 */
public final class LambdaDeployExecution extends DriverStepExecution<LambdaDriver> {

    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, Object> arguments;
    private String principal;
    private String requestedBy;
    private String zipCopy;
    private String zipDigest;
    private String phase;

    private transient volatile boolean copying;
    private transient LambdaDeployArguments parsed;

    LambdaDeployExecution(StepContext context, LinkedHashMap<String, Object> arguments) {
        super(context);
        this.arguments = arguments;
        driverId("lambda-" + UUID.randomUUID());
    }

    @Override
    protected void prepare() throws Exception {
        parsed(); // bad arguments fail here, before anything is recorded
        principal = ActingUser.id();
        Run<?, ?> run = getContext().get(Run.class);
        Cause.UserIdCause starter = run.getCause(Cause.UserIdCause.class);
        requestedBy = starter != null && starter.getUserId() != null ? starter.getUserId() : principal;
    }

    /** Loads or creates the driver; null while the zip is still being copied (the copy wakes the execution). */
    @Override
    protected LambdaDriver open() throws Exception {
        LambdaDeployArguments args = parsed();
        if (args.zip() != null && zipDigest == null) {
            if (copying) {
                return null;
            }
            if (!LambdaDriver.exists(LambdaDeployments.services().store(), driverId())) {
                copying = true;
                File target = new File(getContext().get(Run.class).getRootDir(), driverId() + ".zip");
                LambdaDeployments.copyLater(
                        getContext(),
                        args.zip(),
                        target,
                        digest -> {
                            zipDigest = digest;
                            zipCopy = target.getAbsolutePath();
                            copying = false;
                            getContext().saveState();
                            schedule(0);
                        },
                        this::fail);
                return null;
            }
        }
        LambdaCode code =
                args.s3() != null ? args.s3() : zipCopy == null ? null : new LambdaCode.ZipFile(Path.of(zipCopy));
        return LambdaDeployments.driver(
                getContext(), driverId(), args, code, zipDigest, principal, requestedBy, resumed());
    }

    /** The driver writes its own {@code [lambda]} lines; the phase is kept for the status. */
    @Override
    protected void show(LambdaDriver driver, Next next, TaskListener listener) {
        String now = driver.phase().name();
        if (!now.equals(phase)) {
            phase = now;
            getContext().saveState();
        }
    }

    /** The store or AWS is out of reach for a moment: the driver's row is intact, try again. */
    @Override
    protected long retryDelay(Exception e) {
        return e instanceof AbortException
                        || e instanceof IllegalArgumentException
                        || e instanceof IllegalStateException
                        || !(e instanceof IOException
                                || e instanceof InterruptedException
                                || e instanceof RuntimeException)
                ? -1
                : 5_000;
    }

    @Override
    public String getStatus() {
        return (phase == null ? "starting" : phase) + " (" + driverId() + ")";
    }

    private synchronized LambdaDeployArguments parsed() throws AbortException {
        parsed = parsed != null ? parsed : LambdaDeployments.parse(arguments);
        return parsed;
    }
}
