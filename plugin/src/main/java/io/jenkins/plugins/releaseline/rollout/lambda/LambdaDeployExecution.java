package io.jenkins.plugins.releaseline.rollout.lambda;

import hudson.AbortException;
import hudson.model.Cause;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaCode;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDeployArguments;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDriver;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Drives a {@link LambdaDriver} from timer tasks: {@code start()} records the request, each advance runs on
 * {@link Timer}, {@code onResume()} picks the driver up again from its row, {@code stop()} asks it to wind down.
 */
public final class LambdaDeployExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(LambdaDeployExecution.class.getName());

    private final LinkedHashMap<String, Object> arguments;
    private final String driverId = "lambda-" + UUID.randomUUID();
    private String principal;
    private String requestedBy;
    private String zipCopy;
    private String zipDigest;
    private String phase;
    private Throwable stopCause;
    private boolean stopSent;
    /** Held by the advance running now; a ReentrantLock deserializes unlocked. */
    private final ReentrantLock advancing = new ReentrantLock();

    private transient LambdaDriver driver;
    private transient LambdaDeployArguments parsed;
    private transient ScheduledFuture<?> task;
    private transient volatile boolean finished;
    private transient boolean resumed;

    LambdaDeployExecution(StepContext context, LinkedHashMap<String, Object> arguments) {
        super(context);
        this.arguments = arguments;
    }

    @Override
    public boolean start() throws Exception {
        parsed(); // bad arguments fail here, before anything is recorded
        principal = ActingUser.id();
        Run<?, ?> run = getContext().get(Run.class);
        Cause.UserIdCause starter = run.getCause(Cause.UserIdCause.class);
        requestedBy = starter != null && starter.getUserId() != null ? starter.getUserId() : principal;
        schedule(0);
        return false;
    }

    @Override
    public void onResume() {
        resumed = true;
        schedule(0);
    }

    @Override
    public void stop(Throwable cause) {
        stopCause = cause;
        schedule(0);
    }

    @Override
    public String getStatus() {
        return (phase == null ? "starting" : phase) + " (" + driverId + ")";
    }

    private synchronized void schedule(long delayMillis) {
        if (finished) {
            return;
        }
        if (task != null) {
            task.cancel(false);
        }
        task = Timer.get().schedule(this::tick, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (finished || !advancing.tryLock()) {
            schedule(500);
            return;
        }
        try {
            advance();
        } catch (AbortException e) {
            fail(e);
        } catch (IllegalArgumentException | IllegalStateException e) { // a configuration or a request that cannot work
            fail(new AbortException(e.getMessage()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the store or AWS is out of reach for a moment: the driver's row is intact, try again
            LOGGER.log(Level.WARNING, "lambdaDeploy " + driverId + ": " + e.getMessage() + "; trying again in 5 s", e);
            schedule(5_000);
        } finally {
            advancing.unlock();
        }
    }

    private void advance() throws IOException, InterruptedException {
        if (driver == null && !open(parsed())) {
            return;
        }
        if (stopCause != null && !stopSent) {
            driver.requestStop(String.valueOf(stopCause));
            stopSent = true;
        }
        Next next = driver.advance(Instant.now());
        String now = driver.phase().name();
        if (!now.equals(phase)) {
            phase = now;
            getContext().saveState();
        }
        if (next instanceof Next.Done done) {
            finished = true;
            getContext().onSuccess(done.result());
        } else if (next instanceof Next.Failed failed) {
            fail(stopCause != null ? stopCause : new AbortException(failed.why()));
        } else {
            long delay = next instanceof Next.Wait wait ? wait.from(Instant.now()).toMillis() : 5_000;
            schedule(stopCause != null && !stopSent ? 0 : delay); // a stop that came during this advance goes first
        }
    }

    /** Loads or creates the driver; false while the zip is still being copied (the copy schedules the next tick). */
    private boolean open(LambdaDeployArguments args) throws IOException, InterruptedException {
        boolean recorded = LambdaDriver.exists(LambdaDeployments.services().store(), driverId);
        if (!recorded && stopCause != null) {
            fail(stopCause);
            return false;
        }
        if (!recorded && args.zip() != null && zipDigest == null) {
            File target = new File(getContext().get(Run.class).getRootDir(), driverId + ".zip");
            LambdaDeployments.copyLater(getContext(), args.zip(), target, digest -> {
                zipDigest = digest;
                zipCopy = target.getAbsolutePath();
                getContext().saveState();
                schedule(0);
            }, this::fail);
            return false;
        }
        LambdaCode code = args.s3() != null ? args.s3() : zipCopy == null ? null : new LambdaCode.ZipFile(Path.of(zipCopy));
        driver = LambdaDeployments.driver(getContext(), driverId, args, code, zipDigest, principal, requestedBy, resumed);
        return true;
    }

    private void fail(Throwable cause) {
        finished = true;
        getContext().onFailure(cause);
    }

    private synchronized LambdaDeployArguments parsed() throws AbortException {
        parsed = parsed != null ? parsed : LambdaDeployments.parse(arguments);
        return parsed;
    }
}
