package io.jenkins.plugins.releaseline.rollout.canary;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.DriverStepExecution;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryDriver;
import java.util.LinkedHashMap;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Drives one canary's engine driver ({@link CanaryDriver}) from a pipeline (see {@link DriverStepExecution}): a block
 * the driver asks for (the deploy, or the router at a weight change) is started with a callback that reports its
 * end; the rollout's events are printed as they happen; the build page's buttons wake it
 * ({@link io.jenkins.plugins.releaseline.RunningDrivers#wake}, by rollout id).
 */
public final class CanaryDeployExecution extends DriverStepExecution<CanaryDriver> {

    private static final long serialVersionUID = 1L;
    /** The longest wait between two advances: a change made elsewhere is seen within it. */
    private static final long LONGEST_WAIT = 10_000;

    private final LinkedHashMap<String, Object> arguments;
    private String principal;
    private int lastLoggedSeq;

    CanaryDeployExecution(StepContext context, LinkedHashMap<String, Object> arguments) {
        super(context);
        this.arguments = arguments;
    }

    @Override
    protected void prepare() throws Exception {
        parse();
        Run<?, ?> run = getContext().get(Run.class);
        principal = ActingUser.id();
        int n = run.getActions(CanaryAction.class).size() + 1;
        driverId(run.getParent().getFullName() + "#" + run.getNumber() + "-" + n);
        run.addAction(new CanaryAction(driverId(), n));
    }

    @Override
    protected CanaryDriver open() throws Exception {
        return CanaryService.get()
                .open(driverId(), principal, parse(), getContext().get(Run.class));
    }

    @Override
    protected void show(CanaryDriver driver, Next next, TaskListener listener) {
        lastLoggedSeq = CanaryService.get().log(driver, resumed(), lastLoggedSeq, listener.getLogger());
        if (next instanceof Next.RunBody body && !body.bodyId().equals(startedBody()) || next.terminal()) {
            listener.getLogger().println("[canary] " + next.why());
        }
    }

    @Override
    protected Object result(Next.Done done) {
        return null;
    }

    /** The store or a source is unreachable for a moment: the stored state is intact, try again. */
    @Override
    protected long retryDelay(Exception e) {
        return e instanceof AbortException
                        || e instanceof IllegalArgumentException
                        || e instanceof IllegalStateException
                ? -1
                : STORE_RETRY_MILLIS;
    }

    @Override
    protected long longestWait() {
        return LONGEST_WAIT;
    }

    @Override
    public String getStatus() {
        return driverId() == null
                ? "starting"
                : "canary " + driverId() + (startedBody() == null ? "" : ", block " + startedBody());
    }

    private CanaryArguments parse() throws AbortException {
        try {
            return CanaryArguments.parse(arguments);
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
