package io.jenkins.plugins.releaseline.rollout.router;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;

/**
 * The routers of the global configuration ({@link TrafficRouters}) for canary deployments. A router whose kind
 * needs the pipeline's code to move traffic cannot be named here: give canaryDeploy a block instead.
 */
@Extension
public class CanaryConfiguredRouters implements CanaryRouterLookup {

    @CheckForNull
    @Override
    public TrafficRouter find(@NonNull String name, @NonNull Run<?, ?> run) throws AbortException {
        RouterDefinition definition = TrafficRouters.get().router(name);
        return definition == null ? null : definition.toRouter(run, null);
    }
}
