package io.jenkins.plugins.releaseline.promotion;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionDriver;
import io.jenkins.plugins.releaseline.engine.store.StoreException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@link PromoteStep} and {@link RollbackStep} by driving a {@link PromotionDriver}: {@link #start()} only
 * records, every advance runs on {@link Timer} and a wait is a rescheduled advance (re-armed by {@link #onResume()});
 * the deploy body's end reaches the driver through {@link DeployCallback}.
 */
public final class PromoteStepExecution extends AbstractStepExecutionImpl {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(PromoteStepExecution.class.getName());
    /** How often a waiting step asks its gates again; approvals made on this controller also wake it at once. */
    static long pollMillis = Long.getLong(PromoteStepExecution.class.getName() + ".pollMillis", 15_000L);
    static final long STORE_RETRY_MILLIS = 15_000L;

    private final PromotionSpec spec;
    private final String driverId = "build-" + UUID.randomUUID();
    private PromotionSpec.Origin origin;
    private boolean created, announced, ended;
    private String bodyId, lastReport;
    private transient volatile Future<String> digesting;
    private transient volatile ScheduledFuture<?> task;

    PromoteStepExecution(StepContext context, PromotionSpec spec) {
        super(context);
        this.spec = spec;
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        spec.check(run, getContext().get(FilePath.class) != null);
        EnvVars env = getContext().get(EnvVars.class);
        origin = new PromotionSpec.Origin(run, spec.branch != null ? spec.branch : env == null ? null : env.get("BRANCH_NAME"));
        schedule(0);
        return false;
    }

    @Override
    public void onResume() {
        schedule(0);
    }

    @Override
    public void stop(Throwable cause) {
        Timer.get().submit(() -> stopNow(cause));
    }

    /** Records the stop; a waiting promotion is cancelled now, a running body ends through {@link DeployCallback}. */
    private synchronized void stopNow(Throwable cause) {
        try {
            if (created && !ended) {
                PromotionDriver driver = DeployCallback.driver(driverId);
                driver.requestStop(String.valueOf(cause));
                if (bodyId == null) {
                    getContext().get(TaskListener.class).getLogger().println(driver.advance(Instant.now()).why());
                }
            }
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, "Could not record the stop of promotion driver " + driverId, e);
        }
        if (bodyId == null) {
            end(null, cause);
        }
    }

    @Override
    public String getStatus() {
        return bodyId != null ? "deploying (" + driverId + ")" : "promotion " + driverId + " waits for its gates";
    }

    /** Looks at the gates again soon (an approval came in). */
    void pollSoon() {
        schedule(100);
    }

    private synchronized void schedule(long delayMillis) {
        if (ended || bodyId != null) {
            return;
        }
        ScheduledFuture<?> previous = task;
        if (previous != null) {
            previous.cancel(false);
        }
        task = Timer.get().schedule(this::advance, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** One advance of the driver on a Timer thread: create it first (once the file's digest is known), then drive. */
    private synchronized void advance() {
        if (ended || bodyId != null) {
            return;
        }
        StepContext context = getContext();
        try {
            TaskListener listener = context.get(TaskListener.class);
            if (!created) {
                String digest = spec.digest;
                if (spec.file != null) {
                    if (digesting == null) { // computed on the agent; this thread only looks whether it is ready
                        digesting = context.get(FilePath.class).child(spec.file).actAsync(new FileSha256());
                    }
                    if (!digesting.isDone()) {
                        task = Timer.get().schedule(this::advance, 200, TimeUnit.MILLISECONDS);
                        return;
                    }
                    digest = digesting.get();
                    if (digest == null) {
                        throw new AbortException(Messages.PromoteStep_NoFile(spec.file, context.get(FilePath.class).getRemote()));
                    }
                }
                PromotionDriver.create(ReleaseLineStore.get().store(), PromotionService.get().engine(), driverId,
                        spec.state(origin, digest, context.hasBody()), Instant.ofEpochMilli(origin.startMillis));
                created = true;
                context.saveState();
            }
            PromotionDriver driver = DeployCallback.driver(driverId);
            Next next = driver.advance(Instant.now());
            PromotionDriver.State st = driver.state();
            if (!announced && st.promotionId != 0) {
                announced = PromotionSpec.announce(context.get(Run.class), listener, st);
                context.saveState();
            }
            lastReport = PromotionSpec.show(listener, st, lastReport);
            if (next instanceof Next.Wait wait) {
                WaitingPromotions.waiting(driverId, this);
                task = Timer.get().schedule(this::advance, wait.from(Instant.now()).toMillis(), TimeUnit.MILLISECONDS);
            } else if (next instanceof Next.RunBody body) {
                WaitingPromotions.ended(driverId);
                listener.getLogger().println(body.why());
                bodyId = body.bodyId(); // saved with the body it starts, so that a resumed step never starts it again
                context.newBodyInvoker()
                        .withContext(EnvironmentExpander.merge(context.get(EnvironmentExpander.class),
                                EnvironmentExpander.constant(body.environment())))
                        .withCallback(new DeployCallback(driverId))
                        .start();
                context.saveState();
            } else if (next.terminal()) {
                if (next instanceof Next.Done) {
                    listener.getLogger().println(next.why());
                }
                end(next, null);
            }
        } catch (StoreException e) {
            LOGGER.log(Level.WARNING, "Promotion driver " + driverId + ": the store is unavailable; trying again", e);
            task = Timer.get().schedule(this::advance, STORE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            end(null, e.getCause() != null ? e.getCause() : e);
        } catch (Exception e) {
            end(null, e);
        }
    }

    private synchronized void end(Next next, Throwable failure) {
        if (ended) {
            return;
        }
        ended = true;
        WaitingPromotions.ended(driverId);
        DeployCallback.complete(getContext(), next, failure);
    }
}
