package io.jenkins.plugins.releaseline.promotion;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.DriverStepExecution;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.RunningDrivers;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionDriver;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Future;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@link PromoteStep} and {@link RollbackStep} by driving a {@link PromotionDriver} (see
 * {@link DriverStepExecution}): the file's digest is computed on the agent before the driver is created, the gates'
 * verdicts are printed when they change, and an approval made on this controller wakes a waiting step at once.
 */
public final class PromoteStepExecution extends DriverStepExecution<PromotionDriver> {

    private static final long serialVersionUID = 1L;
    /** How often a waiting step asks its gates again; approvals made on this controller also wake it at once. */
    static long pollMillis = Long.getLong(PromoteStepExecution.class.getName() + ".pollMillis", 15_000L);

    private final PromotionSpec spec;
    private PromotionSpec.Origin origin;
    private boolean announced;
    private String lastReport;
    private transient volatile Future<String> digesting;

    PromoteStepExecution(StepContext context, PromotionSpec spec) {
        super(context);
        this.spec = spec;
        driverId("build-" + UUID.randomUUID());
    }

    @Override
    protected void prepare() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        spec.check(run, getContext().get(FilePath.class) != null);
        EnvVars env = getContext().get(EnvVars.class);
        origin = new PromotionSpec.Origin(
                run, spec.branch != null ? spec.branch : env == null ? null : env.get("BRANCH_NAME"));
    }

    /** Creates the driver once the file's digest is known (computed on the agent; this only looks whether it is ready). */
    @Override
    protected PromotionDriver open() throws Exception {
        if (opened()) {
            return driver(driverId());
        }
        String digest = spec.digest;
        if (spec.file != null) {
            if (digesting == null) {
                digesting = getContext().get(FilePath.class).child(spec.file).actAsync(new FileSha256());
            }
            if (!digesting.isDone()) {
                return null;
            }
            digest = digesting.get(); // done: answers at once
            if (digest == null) {
                throw new AbortException(Messages.PromoteStep_NoFile(
                        spec.file, getContext().get(FilePath.class).getRemote()));
            }
        }
        return PromotionDriver.create(
                ReleaseLineStore.get().store(),
                PromotionService.get().engine(),
                driverId(),
                spec.state(origin, digest, getContext().hasBody()),
                Instant.ofEpochMilli(origin.startMillis));
    }

    @Override
    protected void show(PromotionDriver driver, Next next, TaskListener listener) throws Exception {
        PromotionDriver.State st = driver.state();
        if (!announced && st.promotionId != 0) {
            announced = PromotionSpec.announce(getContext().get(Run.class), listener, st);
            getContext().saveState();
        }
        lastReport = PromotionSpec.show(listener, st, lastReport);
        if (next instanceof Next.RunBody b && !b.bodyId().equals(startedBody())
                || next instanceof Next.Done
                || next instanceof Next.Failed && (stopping() || startedBody() != null)) {
            listener.getLogger().println(next.why()); // else the AbortException says why
        }
    }

    /** The driver would end a stopped deployment at once: while the body runs, only its end moves the driver. */
    @Override
    protected boolean advancesDuringBody() {
        return false;
    }

    @Override
    protected Object result(Next.Done done) {
        return null;
    }

    /** The deploy body's own failure, else the stop, else the driver's reason. */
    @Override
    protected Throwable failure(Next.Failed failed, Throwable stopCause, Throwable bodyFailure) {
        return bodyFailure != null ? bodyFailure : super.failure(failed, stopCause, null);
    }

    @Override
    public String getStatus() {
        return startedBody() != null
                ? "deploying (" + driverId() + ")"
                : "promotion " + driverId() + " waits for its gates";
    }

    /** Wakes every waiting {@code promote} step of this controller (an approval came in). */
    static void wakeAll() {
        RunningDrivers.wakeAll(PromoteStepExecution.class, 100);
    }

    static PromotionDriver driver(String driverId) {
        return new PromotionDriver(
                ReleaseLineStore.get().store(), PromotionService.get().engine(), driverId);
    }
}
