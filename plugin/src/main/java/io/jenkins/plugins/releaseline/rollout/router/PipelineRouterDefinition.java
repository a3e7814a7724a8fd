package io.jenkins.plugins.releaseline.rollout.router;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.rollout.bluegreen.BlueGreenService;
import java.time.Clock;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The pipeline's own code is the router: {@code blueGreenDeploy} runs its body a second time with
 * {@code RELEASE_LINE_PHASE=route} and the weights in the environment, and records the split the body returns.
 */
public class PipelineRouterDefinition extends RouterDefinition {

    private String initiallyLive;

    @DataBoundConstructor
    public PipelineRouterDefinition(String name) {
        super(name);
    }

    /** The colour taken to serve everything until the code first reports; the first backend when blank. */
    public String getInitiallyLive() {
        return initiallyLive;
    }

    @DataBoundSetter
    public void setInitiallyLive(String initiallyLive) {
        this.initiallyLive = Util.fixEmptyAndTrim(initiallyLive);
    }

    @NonNull
    @Override
    public TrafficRouter toRouter(Run<?, ?> run, CommandRouter.Commands commands) throws AbortException {
        CommandRouter.Commands c = commands != null
                ? commands
                : (target, env) -> {
                    throw new io.jenkins.plugins.releaseline.engine.rollout.router.RouterException(
                            Messages.PipelineRouterDefinition_NoBody(getName()), false);
                };
        return new CommandRouter(
                getName(),
                backendList(),
                initiallyLive != null ? initiallyLive : backendList().get(0),
                c,
                BlueGreenService.store(),
                BlueGreenService.audit(),
                Clock.systemUTC(),
                ActingUser.of(run));
    }

    @Extension
    @Symbol("pipeline")
    public static class DescriptorImpl extends RouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PipelineRouterDefinition_DisplayName();
        }
    }
}
