package io.jenkins.plugins.releaseline.promotion;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionDriver;
import io.jenkins.plugins.releaseline.engine.store.StoreException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The deploy body's end, for {@link PromoteStepExecution}: holds only the driver's id; hands the outcome to the
 * driver on {@link Timer} and ends the step with the driver's answer (retried while the store is unavailable).
 */
final class DeployCallback extends BodyExecutionCallback {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(DeployCallback.class.getName());

    private final String driverId;

    DeployCallback(String driverId) {
        this.driverId = driverId;
    }

    @Override
    public void onSuccess(StepContext context, Object result) {
        Timer.get().submit(() -> finish(context, null));
    }

    @Override
    public void onFailure(StepContext context, Throwable t) {
        Timer.get().submit(() -> finish(context, t));
    }

    private void finish(StepContext context, Throwable t) {
        try {
            PromotionDriver driver = driver(driverId);
            driver.bodyFinished(driver.state().bodyId, t == null, t == null ? null : String.valueOf(t));
            Next next = driver.advance(Instant.now());
            if (!next.terminal()) {
                throw new StoreException("promotion driver " + driverId + " is not finished: " + next.why());
            }
            if (next instanceof Next.Done || t != null) { // else the AbortException says why
                context.get(TaskListener.class).getLogger().println(next.why());
            }
            complete(context, next, t);
        } catch (StoreException e) {
            LOGGER.log(Level.WARNING, "Promotion driver " + driverId + ": could not record the deployment yet", e);
            Timer.get().schedule(() -> finish(context, t), PromoteStepExecution.STORE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            context.onFailure(e);
        }
    }

    /** Ends a step with a driver's terminal answer: success, the body's own failure, or the driver's reason. */
    static void complete(StepContext context, Next next, Throwable failure) {
        if (next instanceof Next.Done) {
            context.onSuccess(null);
        } else {
            context.onFailure(failure != null ? failure : new AbortException(next.why()));
        }
    }

    static PromotionDriver driver(String driverId) {
        return new PromotionDriver(ReleaseLineStore.get().store(), PromotionService.get().engine(), driverId);
    }
}
