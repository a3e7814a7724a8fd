package io.jenkins.plugins.releaseline.engine.rollout.router;

import java.util.List;
import java.util.Map;

/**
 * Something that decides which backend serves how much of the traffic: a load balancer, a proxy, a
 * function alias, or the pipeline's own commands. Blue-green and canary rollouts move traffic only through
 * this interface, and trust only what {@link #read()} reports back.
 */
public interface TrafficRouter {

    /** The name administrators gave this router, as pipelines refer to it. */
    String name();

    /** The backends this router splits traffic between, in a stable order (e.g. {@code blue, green}). */
    List<String> backends();

    /** The split as the router itself reports it now; never a value remembered from an earlier call. */
    TrafficSplit read();

    /**
     * Moves traffic to {@code target} and returns the split read back from the router afterwards. Throws
     * {@link RouterException} when the router refuses, cannot be reached, or reads back something else.
     */
    TrafficSplit apply(TrafficSplit target);

    /** Each backend's health as the router sees it (its own checks), where it has any. */
    Map<String, BackendHealth> health();
}
