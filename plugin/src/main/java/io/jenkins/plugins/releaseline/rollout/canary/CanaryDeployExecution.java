package io.jenkins.plugins.releaseline.rollout.canary;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryDriver;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Drives one canary's engine driver ({@link CanaryDriver}) from a pipeline: each advance is a short task on the
 * Jenkins timer, rescheduled for when the driver says; a block the driver asks for (the deploy, or the router at a
 * weight change) is started with a callback that reports its end, and nothing waits for it. The CPS VM thread only
 * records and schedules ({@code start}, {@code stop}, {@code onResume}).
 */
public final class CanaryDeployExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(CanaryDeployExecution.class.getName());
    /** The longest wait between two advances: a change made elsewhere is seen within it. */
    private static final long LONGEST_WAIT = 10_000;
    /** While a block runs, the driver is asked this often whether it has timed out. */
    private static final long BODY_RECHECK = 60_000;

    private final LinkedHashMap<String, Object> arguments;
    private String rolloutId;
    private String principal;
    private String startedBody;
    private String stopReason;
    private boolean stopRecorded;
    private int lastLoggedSeq;

    private transient volatile boolean ended;
    private transient volatile boolean resumed;
    private transient boolean advancing;
    private transient Throwable stopCause;
    private transient CanaryDriver driver;
    private transient ScheduledFuture<?> task;

    CanaryDeployExecution(StepContext context, LinkedHashMap<String, Object> arguments) {
        super(context);
        this.arguments = arguments;
    }

    @Override
    public boolean start() throws Exception {
        parse();
        Run<?, ?> run = getContext().get(Run.class);
        principal = ActingUser.id();
        int n = run.getActions(CanaryAction.class).size() + 1;
        rolloutId = run.getParent().getFullName() + "#" + run.getNumber() + "-" + n;
        run.addAction(new CanaryAction(rolloutId, n));
        CanaryExecutions.add(rolloutId, this);
        schedule(0);
        return false;
    }

    @Override
    public void onResume() {
        resumed = true;
        CanaryExecutions.add(rolloutId, this);
        schedule(0);
    }

    /** Traffic goes back to stable before the step ends: the wind-down is the driver's, on the timer. */
    @Override
    public void stop(@NonNull Throwable cause) {
        stopCause = cause;
        stopReason = "the build was stopped" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        schedule(0);
    }

    @Override
    public String getStatus() {
        return rolloutId == null ? "starting" : "canary " + rolloutId + (startedBody == null ? "" : ", block " + startedBody);
    }

    synchronized void schedule(long delayMillis) {
        if (ended) {
            return;
        }
        if (task != null) {
            task.cancel(false);
        }
        task = Timer.get().schedule(this::tick, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** One advance at a time: a wake during an advance comes back a moment later. */
    private synchronized boolean claim(boolean take) {
        boolean free = !advancing && !ended;
        advancing = take && free;
        return free;
    }

    private void tick() {
        if (!claim(true)) {
            schedule(250);
            return;
        }
        long delay;
        try {
            delay = advance();
        } catch (AbortException | IllegalArgumentException | IllegalStateException e) {
            end(new AbortException(e.getMessage()));
            return;
        } catch (Exception e) {
            // the store or a source is unreachable for a moment: the stored state is intact, try again
            LOGGER.log(Level.WARNING, "canary " + rolloutId + ": " + e.getMessage() + "; trying again in 5 s", e);
            delay = 5_000;
        } finally {
            claim(false);
        }
        if (delay >= 0) {
            schedule(delay);
        }
    }

    /** One advance of the driver; returns when to advance again, or -1 once the step ended. */
    private long advance() throws Exception {
        CanaryDriver d = driver();
        if (stopReason != null && !stopRecorded) {
            d.requestStop(stopReason);
            stopRecorded = true;
            getContext().saveState();
        }
        Next next = d.advance(Instant.now());
        TaskListener listener = getContext().get(TaskListener.class);
        lastLoggedSeq = CanaryService.get().log(d, resumed, lastLoggedSeq, listener.getLogger());
        resumed = false;
        if (next instanceof Next.Wait w) {
            return Math.min(LONGEST_WAIT, w.from(Instant.now()).toMillis());
        }
        if (next instanceof Next.RunBody body && !body.bodyId().equals(startedBody)) {
            startedBody = body.bodyId();
            listener.getLogger().println("[canary] " + body.why());
            BodyInvoker invoker = getContext().newBodyInvoker().withCallback(new BlockCallback(rolloutId, body.bodyId()));
            if (!body.environment().isEmpty()) {
                invoker.withContext(EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class),
                        EnvironmentExpander.constant(body.environment())));
            }
            invoker.start();
            getContext().saveState();
        }
        if (!next.terminal()) {
            return BODY_RECHECK;
        }
        listener.getLogger().println("[canary] " + next.why());
        end(next instanceof Next.Done ? null : stopCause != null ? stopCause : new AbortException(next.why()));
        return -1;
    }

    private void end(Throwable failure) {
        ended = true;
        CanaryExecutions.remove(rolloutId, this);
        if (failure == null) {
            getContext().onSuccess(null);
        } else {
            getContext().onFailure(failure);
        }
    }

    private synchronized CanaryDriver driver() throws Exception {
        if (driver == null) {
            driver = CanaryService.get().open(rolloutId, principal, parse(), getContext().get(Run.class));
        }
        return driver;
    }

    private CanaryArguments parse() throws AbortException {
        try {
            return CanaryArguments.parse(arguments);
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** A block ended: its outcome goes to the driver on the timer (it holds only the ids, so it survives a restart). */
    static final class BlockCallback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final String rolloutId;
        private final String bodyId;

        BlockCallback(String rolloutId, String bodyId) {
            this.rolloutId = rolloutId;
            this.bodyId = bodyId;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            CanaryExecutions.bodyFinished(rolloutId, bodyId, true, null);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            CanaryExecutions.bodyFinished(rolloutId, bodyId, false, t.getMessage() == null ? t.toString() : t.getMessage());
        }
    }
}
