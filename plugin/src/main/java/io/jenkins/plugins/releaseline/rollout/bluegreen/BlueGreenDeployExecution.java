package io.jenkins.plugins.releaseline.rollout.bluegreen;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenDriver;
import io.jenkins.plugins.releaseline.engine.store.StoreException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Drives the engine's {@link BlueGreenDriver} for {@code blueGreenDeploy}: each advance on {@link Timer}, at the time
 * the driver asks; bodies (deploy, routing code) through a callback that hands their end to the driver. The driver's
 * state is in the store; this execution keeps only its id, so a restart re-arms from there.
 */
final class BlueGreenDeployExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(BlueGreenDeployExecution.class.getName());

    private final BlueGreenDeployStep step;
    private final String driverId = "bluegreen-" + UUID.randomUUID();
    private String principal;
    private volatile String stopReason;
    private volatile String stage = "starting";
    private volatile boolean over;
    private volatile String startedBody;
    private transient volatile boolean advancing;
    private transient volatile BodyExecution body;
    private transient ScheduledFuture<?> pending;

    BlueGreenDeployExecution(BlueGreenDeployStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    public boolean start() throws Exception {
        principal = RolloutEngine.principal(getContext().get(Run.class));
        schedule(0);
        return false;
    }

    @Override
    public void onResume() {
        schedule(0); // from the driver's stored state: a wait due, a body awaited, or the end
    }

    @Override
    public void stop(Throwable cause) {
        stopReason = "the build was stopped: " + cause;
        BodyExecution b = body;
        if (b != null) {
            b.cancel(cause); // the body ends; its callback tells the driver
        }
        schedule(0);
    }

    @Override
    public String getStatus() {
        return driverId + ": " + stage;
    }

    /** The next advance; one pending at a time, so that extra wake-ups never multiply the chain of advances. */
    synchronized void schedule(long delayMillis) {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = Timer.get().schedule(this::advance, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** One advance of the driver, on a Timer thread, bounded by the driver's own timeouts; one at a time. */
    private void advance() {
        synchronized (this) {
            if (advancing && !over) {
                schedule(500); // one advance at a time; come back after this one
            }
            if (over || advancing) {
                return;
            }
            advancing = true;
        }
        try {
            BlueGreenDriver d = driver();
            Next next = d.advance(Instant.now());
            if (!next.toString().equals(stage)) {
                getContext().get(TaskListener.class).getLogger().println("[blue-green] " + next.why());
                BlueGreenAction.show(getContext().get(Run.class), d.rollout());
                stage = next.toString();
                getContext().saveState();
            }
            if (next instanceof Next.Wait w) {
                schedule(w.from(Instant.now()).toMillis());
            } else if (next instanceof Next.RunBody b) {
                runBody(d, b);
            } else if (next instanceof Next.AwaitBody a && !a.bodyId().equals(startedBody)) {
                // asked for just before a restart and never started: it did not run, and will not run twice
                d.bodyFinished(a.bodyId(), false, "Jenkins restarted before the " + a.bodyId() + " body started");
                schedule(0);
            } else if (next instanceof Next.Done done) {
                over = true;
                getContext().onSuccess(done.result());
            } else if (next instanceof Next.Failed) {
                over = true;
                getContext().onFailure(new AbortException(next.why()));
            }
        } catch (StoreException | BlueGreenDriver.Concurrent e) {
            LOGGER.log(Level.FINE, "blue-green driver " + driverId + ": advancing again", e);
            schedule(e instanceof StoreException ? 5_000 : 200);
        } catch (Exception e) {
            over = true;
            getContext().onFailure(e instanceof AbortException ? e : new AbortException(String.valueOf(e.getMessage())));
        } finally {
            advancing = false;
        }
    }

    private BlueGreenDriver driver() throws Exception {
        return step.driver(driverId, principal, getContext().get(Run.class), stopReason);
    }

    private void runBody(BlueGreenDriver d, Next.RunBody b) throws Exception {
        if (stopReason != null) {
            d.bodyFinished(b.bodyId(), false, "the build was stopped, so the " + b.purpose() + " code cannot run");
            schedule(0);
            return;
        }
        EnvironmentExpander env = EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class),
                EnvironmentExpander.constant(b.environment()));
        startedBody = b.bodyId(); // saved with the program, as the body is
        body = getContext().newBodyInvoker().withContext(env).withCallback(new Finished(driverId, b.bodyId())).start();
    }

    /** A body's end, handed to the driver (on a Timer thread; again later while the store cannot take it). */
    private void bodyEnded(String bodyId, boolean ok, String detail) {
        try {
            body = null;
            driver().bodyFinished(bodyId, ok, detail);
            schedule(0);
        } catch (StoreException e) {
            LOGGER.log(Level.WARNING, "blue-green driver " + driverId + ": the end of body " + bodyId + " not recorded yet", e);
            Timer.get().schedule(() -> bodyEnded(bodyId, ok, detail), 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            schedule(0); // the advance meets the same problem and ends the step with it
        }
    }

    /** Holds only the driver's and the body's ids. */
    private static final class Finished extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final String driverId;
        private final String bodyId;

        Finished(String driverId, String bodyId) {
            this.driverId = driverId;
            this.bodyId = bodyId;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            ended(true, BlueGreenDeployStep.report(result));
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            ended(false, String.valueOf(t.getMessage()));
        }

        private void ended(boolean ok, String detail) {
            StepExecution.applyAll(BlueGreenDeployExecution.class, e -> {
                if (e.driverId.equals(driverId)) {
                    Timer.get().submit(() -> e.bodyEnded(bodyId, ok, detail));
                }
                return null;
            });
        }
    }
}
