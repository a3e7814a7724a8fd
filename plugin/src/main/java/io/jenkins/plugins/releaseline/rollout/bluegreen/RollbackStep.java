package io.jenkins.plugins.releaseline.rollout.bluegreen;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenController;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenPhase;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenRollout;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.rollout.router.RouterDefinition;
import io.jenkins.plugins.releaseline.rollout.router.TrafficRouters;
import java.util.Optional;
import java.util.Set;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code rollback(environment: 'prod')}: switches the environment's traffic back to the colour that served before
 * its blue-green rollout, at once, while that colour is warm. Fails the build (AbortException) when the engine could
 * not confirm the switch back, with what it knows.
 */
public class RollbackStep extends Step {

    private final String environment;
    private String reason;

    @DataBoundConstructor
    public RollbackStep(String environment) {
        this.environment = Util.fixEmptyAndTrim(environment);
    }

    public String getEnvironment() {
        return environment;
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        this.reason = Util.fixEmptyAndTrim(reason);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, environment, reason);
    }

    /**
     * One switch back, on a Timer thread (never on the CPS VM thread): the router's calls have their own connect and read
     * timeouts, so the task is bounded. After a restart it runs again (rolling back what is rolled back already is refused
     * by name).
     */
    private static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private final String environment;
        private final String reason;
        private String principal;
        private volatile boolean over;

        Execution(StepContext context, String environment, String reason) {
            super(context);
            this.environment = environment;
            this.reason = reason;
        }

        @Override
        public boolean start() throws Exception {
            principal = ActingUser.of(getContext().get(Run.class));
            Timer.get().submit(this::rollBack);
            return false;
        }

        @Override
        public void onResume() {
            if (!over) {
                Timer.get().submit(this::rollBack);
            }
        }

        @Override
        public void stop(Throwable cause) {
            over = true; // a switch back under way is bounded and finishes; the step ends now
            getContext().onFailure(cause);
        }

        private void rollBack() {
            try {
                String colour = run();
                if (!over) {
                    over = true;
                    getContext().onSuccess(colour);
                }
            } catch (Exception e) {
                if (!over) {
                    over = true;
                    getContext().onFailure(e);
                }
            }
        }

        private String run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            BlueGreenController controller = BlueGreenService.controller();
            BlueGreenRollout r;
            try {
                Optional<BlueGreenRollout> active = controller.current(environment);
                String routerName = active.map(BlueGreenRollout::router)
                        .orElseGet(() -> controller.history(environment, 1).stream()
                                .findFirst()
                                .map(BlueGreenRollout::router)
                                .orElse(null));
                RouterDefinition def =
                        routerName == null ? null : TrafficRouters.get().router(routerName);
                if (routerName != null && def == null) {
                    throw new AbortException(Messages.BlueGreenDeployStep_UnknownRouter(routerName));
                }
                if (def == null) {
                    throw new AbortException(Messages.RollbackStep_NothingToRollBack(environment));
                }
                r = controller.rollback(environment, def.toRouter(run, null), principal, reason);
            } catch (IllegalArgumentException | IllegalStateException | RouterException e) {
                throw new AbortException(e.getMessage());
            }
            BlueGreenAction.attach(run, r.id());
            getContext()
                    .get(TaskListener.class)
                    .getLogger()
                    .println(Messages.BlueGreenDeployStep_Ended(r.phase(), r.detail()));
            if (r.phase() != BlueGreenPhase.ROLLED_BACK && r.phase() != BlueGreenPhase.FAILED) {
                throw new AbortException(Messages.RollbackStep_NotConfirmed(r.id(), r.phase(), r.detail()));
            }
            return r.liveColour();
        }
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "rollback";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RollbackStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
