package io.jenkins.plugins.releaseline;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.drive.Driver;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.store.StoreException;
import java.io.Serializable;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A pipeline step that drives an engine {@link Driver} from {@link Timer}. The CPS VM thread only records:
 * {@link #start()} (after {@link #prepare()}), {@link #stop} and {@link #onResume()} set fields and schedule an advance.
 * Each advance is one short Timer task, one pending and one running at a time: it opens the driver (on first use, or
 * again after a restart, from the execution's persisted fields), hands it a stop or a body's end, advances it once and
 * does what the {@link Next} says: reschedule, start the body (with a {@link BodyEnd} callback that holds only ids), or
 * end the step. A {@link StoreException} is tried again later, said once in the build log.
 *
 * <p>A concrete execution says how to open its driver ({@link #open()}), what to print for each {@link Next}
 * ({@link #show}) and, when it must, how {@code Done} and {@code Failed} become the step's result.
 */
public abstract class DriverStepExecution<D extends Driver> extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(DriverStepExecution.class.getName());
    /** After a store error, the next advance comes this much later. */
    protected static final long STORE_RETRY_MILLIS = 5_000;
    /** While a body runs, the driver is asked this often whether it has timed out. */
    private static final long BODY_RECHECK_MILLIS = 60_000;
    /** While {@link #open()} is not ready (a file still being read on the agent). */
    private static final long NOT_READY_MILLIS = 250;

    private String driverId;
    private boolean opened, stopSent;
    private volatile boolean inBody;
    private String stopReason, startedBody;
    private volatile BodyEnded bodyEnded;
    private transient volatile boolean ended, resumed;
    private transient boolean advancing, again, storeDown;
    private transient Throwable stopCause, bodyFailure;
    private transient volatile BodyExecution body;
    private transient D driver;
    private transient ScheduledFuture<?> task;

    /**
     * A body's end, kept until the driver has taken it (persisted, so that a restart does not lose it). A class, not
     * a record: the program is saved by JBoss Marshalling, which sets fields reflectively.
     */
    private static final class BodyEnded implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String bodyId;
        private final boolean succeeded;
        private final String detail;

        BodyEnded(String bodyId, boolean succeeded, String detail) {
            this.bodyId = bodyId;
            this.succeeded = succeeded;
            this.detail = detail;
        }
    }

    protected DriverStepExecution(StepContext context) {
        super(context);
    }

    /** On the CPS VM thread, no I/O: checks the request and records it in fields (the driver id among them). */
    protected abstract void prepare() throws Exception;

    /** On Timer: creates the driver (once; again answers the one created) or reopens it; null while not ready yet. */
    protected abstract D open() throws Exception;

    /** On Timer, after each advance: the build log's lines for {@code next} (and the step's own records). */
    protected abstract void show(D driver, Next next, TaskListener listener) throws Exception;

    /** The step's return value. */
    protected Object result(Next.Done done) {
        return done.result();
    }

    /** The step's failure: the stop that caused it, else the driver's reason. */
    protected Throwable failure(Next.Failed failed, Throwable stopCause, Throwable bodyFailure) {
        return stopCause != null ? stopCause : new AbortException(failed.why());
    }

    /** How long until a failed advance is tried again, or -1 when {@code e} ends the step. */
    protected long retryDelay(Exception e) {
        return e instanceof StoreException ? STORE_RETRY_MILLIS : -1;
    }

    /** The longest wait between two advances (a change made elsewhere is seen within it). */
    protected long longestWait() {
        return Long.MAX_VALUE;
    }

    /** Why the body asked for is not started (it is reported as failed with that), or null to start it. */
    protected String refuseBody(Next.RunBody body) {
        return null;
    }

    /** Whether a stop cancels a running body (else the driver decides when the body's end ends the step). */
    protected boolean cancelsBodyOnStop() {
        return false;
    }

    /** Whether the driver is advanced while a body runs (else only a stop is handed to it, and the body's end wakes it). */
    protected boolean advancesDuringBody() {
        return true;
    }

    /** What a body that succeeded reports to the driver, from its return value. */
    protected String successDetail(Object bodyResult) {
        return null;
    }

    protected final String driverId() {
        return driverId;
    }

    protected final void driverId(String id) {
        driverId = id;
    }

    /** Whether {@link #open()} has answered a driver once (persisted: after a restart the driver exists). */
    protected final boolean opened() {
        return opened;
    }

    protected final String startedBody() {
        return startedBody;
    }

    /** True from {@link #onResume()} until the first advance after it has been shown. */
    protected final boolean resumed() {
        return resumed;
    }

    protected final boolean stopping() {
        return stopReason != null;
    }

    @Override
    public final boolean start() throws Exception {
        prepare();
        RunningDrivers.add(driverId, this);
        schedule(0);
        return false;
    }

    @Override
    public void onResume() {
        resumed = true;
        RunningDrivers.add(driverId, this);
        schedule(0);
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        stopCause = cause;
        stopReason = "the build was stopped" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        BodyExecution b = body;
        if (b != null && cancelsBodyOnStop()) {
            b.cancel(cause); // the body ends; its callback tells the driver
        }
        schedule(0);
    }

    @Override
    public String getStatus() {
        return driverId + (startedBody == null ? "" : ", body " + startedBody);
    }

    /** Asks for an advance after {@code delayMillis}; replaces the pending one, so that wake-ups never multiply. */
    public final synchronized void schedule(long delayMillis) {
        if (ended) {
            return;
        }
        if (task != null) {
            task.cancel(false);
        }
        task = Timer.get().schedule(this::tick, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** Ends the step with {@code cause} (from any thread; once). */
    protected final void fail(Throwable cause) {
        finish(null, cause);
    }

    /** One advance at a time: a wake during an advance makes the running one come back at once. */
    private synchronized boolean claim() {
        if (ended || advancing) {
            again = !ended;
            return false;
        }
        advancing = true;
        again = false;
        return true;
    }

    private synchronized long release(long delay) {
        advancing = false;
        return again && !ended ? 0 : delay;
    }

    private void tick() {
        if (!claim()) {
            return;
        }
        long delay = -1;
        try {
            delay = advance();
            storeDown = false;
        } catch (Exception e) {
            delay = retryDelay(e);
            if (delay < 0) {
                Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                fail(
                        t instanceof AbortException
                                        || !(t instanceof IllegalArgumentException
                                                || t instanceof IllegalStateException)
                                ? t
                                : new AbortException(t.getMessage()));
            } else if (!storeDown) { // said once, not at every retry
                storeDown = true;
                LOGGER.log(
                        Level.WARNING, driverId + ": " + e.getMessage() + "; trying again every " + delay + " ms", e);
                listener().getLogger().println(driverId + ": " + e.getMessage() + "; trying again until it answers");
            } else {
                LOGGER.log(Level.FINE, driverId + ": still failing, trying again", e);
            }
        } finally {
            delay = release(delay);
        }
        if (delay >= 0) {
            schedule(delay);
        }
    }

    /** One advance of the driver; returns when to advance again, or -1 once the step ended. */
    private long advance() throws Exception {
        if (driver == null) {
            if (stopCause != null && !opened) { // stopped before anything was recorded
                fail(stopCause);
                return -1;
            }
            driver = open();
            if (driver == null) {
                return NOT_READY_MILLIS;
            }
            if (!opened) {
                opened = true;
                getContext().saveState();
            }
        }
        if (stopReason != null && !stopSent) {
            driver.requestStop(stopReason);
            stopSent = true;
            getContext().saveState();
        }
        BodyEnded end = bodyEnded;
        if (end != null) {
            driver.bodyFinished(end.bodyId, end.succeeded, end.detail);
            bodyEnded = null;
            getContext().saveState();
        } else if (inBody && !advancesDuringBody()) {
            return -1;
        }
        Next next = driver.advance(Instant.now());
        show(driver, next, listener());
        resumed = false;
        if (next instanceof Next.Wait w) {
            return Math.min(longestWait(), w.from(Instant.now()).toMillis());
        } else if (next instanceof Next.RunBody b && !b.bodyId().equals(startedBody)) {
            String refused = refuseBody(b);
            if (refused != null) {
                driver.bodyFinished(b.bodyId(), false, refused);
                return 0;
            }
            startBody(b);
        } else if (next instanceof Next.AwaitBody a && !a.bodyId().equals(startedBody)) {
            // asked for just before a restart and never started: it did not run, and will not run twice
            driver.bodyFinished(a.bodyId(), false, "Jenkins restarted before the " + a.bodyId() + " body started");
            return 0;
        } else if (next instanceof Next.Done done) {
            finish(result(done), null);
            return -1;
        } else if (next instanceof Next.Failed failed) {
            finish(null, failure(failed, stopCause, bodyFailure));
            return -1;
        }
        return BODY_RECHECK_MILLIS;
    }

    private void startBody(Next.RunBody b) throws Exception {
        BodyInvoker invoker = getContext().newBodyInvoker().withCallback(new BodyEnd(driverId, b.bodyId()));
        if (!b.environment().isEmpty()) {
            invoker.withContext(EnvironmentExpander.merge(
                    getContext().get(EnvironmentExpander.class), EnvironmentExpander.constant(b.environment())));
        }
        startedBody = b.bodyId(); // saved with the program, as the body is: a resumed step never starts it again
        inBody = true;
        body = invoker.start();
        getContext().saveState();
    }

    /** A body ended (any thread): kept in a field until the next advance hands it to the driver. */
    final void bodyEnded(String bodyId, boolean ok, Object result, Throwable t) {
        body = null;
        bodyFailure = t;
        bodyEnded = new BodyEnded(
                bodyId, ok, ok ? successDetail(result) : t.getMessage() == null ? t.toString() : t.getMessage());
        inBody = false; // after the end is kept: an advance in between still waits for it
        getContext().saveState();
        schedule(0);
    }

    private void finish(Object result, Throwable failure) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            if (task != null) {
                task.cancel(false);
            }
        }
        RunningDrivers.remove(driverId, this);
        if (failure == null) {
            getContext().onSuccess(result);
        } else {
            getContext().onFailure(failure);
        }
    }

    private TaskListener listener() {
        try {
            TaskListener l = getContext().get(TaskListener.class);
            return l == null ? TaskListener.NULL : l;
        } catch (Exception e) {
            return TaskListener.NULL;
        }
    }

    /** A body's end: holds only the ids and finds the execution in {@link RunningDrivers}, so it survives a restart. */
    static final class BodyEnd extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final String driverId;
        private final String bodyId;

        BodyEnd(String driverId, String bodyId) {
            this.driverId = driverId;
            this.bodyId = bodyId;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            RunningDrivers.bodyEnded(driverId, bodyId, true, result, null);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            RunningDrivers.bodyEnded(driverId, bodyId, false, null, t);
        }
    }
}
