package io.jenkins.plugins.releaseline.rollout.bluegreen;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.DriverStepExecution;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenDriver;
import java.util.UUID;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Drives the engine's {@link BlueGreenDriver} for {@code blueGreenDeploy} (see {@link DriverStepExecution}): bodies
 * are the deploy and the routing code (whose return value is the split it set); a stop cancels a running body, and a
 * body asked for after a stop is reported as not run. The driver's state is in the store; this keeps only its id.
 */
final class BlueGreenDeployExecution extends DriverStepExecution<BlueGreenDriver> {

    private static final long serialVersionUID = 1L;

    private final BlueGreenDeployStep step;
    private String principal;
    private volatile String stage = "starting";

    BlueGreenDeployExecution(BlueGreenDeployStep step, StepContext context) {
        super(context);
        this.step = step;
        driverId("bluegreen-" + UUID.randomUUID());
    }

    @Override
    protected void prepare() throws Exception {
        principal = ActingUser.of(getContext().get(Run.class));
    }

    @Override
    protected BlueGreenDriver open() throws Exception {
        return step.driver(driverId(), principal, getContext().get(Run.class), null);
    }

    @Override
    protected void show(BlueGreenDriver driver, Next next, TaskListener listener) throws Exception {
        if (!next.toString().equals(stage)) {
            listener.getLogger().println("[blue-green] " + next.why());
            BlueGreenAction.show(getContext().get(Run.class), driver.rollout());
            stage = next.toString();
            getContext().saveState();
        }
    }

    /** A store that cannot be reached, or another advance that wrote first: the next advance goes on from the row. */
    @Override
    protected long retryDelay(Exception e) {
        return e instanceof BlueGreenDriver.Concurrent ? 200 : super.retryDelay(e);
    }

    @Override
    protected String refuseBody(Next.RunBody body) {
        return stopping() ? "the build was stopped, so the " + body.purpose() + " code cannot run" : null;
    }

    @Override
    protected boolean cancelsBodyOnStop() {
        return true;
    }

    /** What the routing code returned, as the split text the engine reads. */
    @Override
    protected String successDetail(Object bodyResult) {
        return BlueGreenDeployStep.report(bodyResult);
    }

    @Override
    public String getStatus() {
        return driverId() + ": " + stage;
    }
}
