package io.jenkins.plugins.releaseline.rollout.router;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;

/**
 * Finds a configured router by the name a pipeline gives ({@code canaryDeploy(router: 'prod-lb', ...)}). The
 * routers themselves (HAProxy, nginx, ALB...) are configured in {@link TrafficRouters}
 * ({@link CanaryConfiguredRouters}); other plugins may add lookups of their own.
 */
public interface CanaryRouterLookup extends ExtensionPoint {

    /**
     * The router called {@code name} as {@code run} may use it, or null when this lookup does not know the name;
     * throws when it knows the name but cannot build the router (missing credentials, a pipeline-only router).
     */
    @CheckForNull
    TrafficRouter find(@NonNull String name, @NonNull Run<?, ?> run) throws AbortException;

    /** The first lookup's router of that name; refuses (the step fails with the message) when none knows it. */
    @NonNull
    static TrafficRouter resolve(@NonNull String name, @NonNull Run<?, ?> run) throws AbortException {
        for (CanaryRouterLookup lookup : ExtensionList.lookup(CanaryRouterLookup.class)) {
            TrafficRouter router = lookup.find(name, run);
            if (router != null) {
                return router;
            }
        }
        throw new AbortException("router: no router named '" + name + "' is configured in Release Line; "
                + "configure it, or give canaryDeploy a block that moves the traffic itself");
    }
}
