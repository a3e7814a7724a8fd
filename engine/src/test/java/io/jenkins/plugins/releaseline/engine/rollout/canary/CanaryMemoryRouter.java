package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A router held in memory for the state-machine tests: it remembers the split, every split applied, can be
 * told to fail the next calls, and can "restart" back to its initial split as a real proxy would.
 */
final class CanaryMemoryRouter implements TrafficRouter {

    private final String name;
    private final List<String> backends;
    private final TrafficSplit initial;
    private volatile TrafficSplit split;
    final List<TrafficSplit> applied = new ArrayList<>();
    final AtomicInteger failNextApplies = new AtomicInteger();
    volatile boolean down;

    CanaryMemoryRouter(String name, String stable, String canary) {
        this.name = name;
        this.backends = List.of(stable, canary);
        this.initial = TrafficSplit.all(stable, backends);
        this.split = initial;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> backends() {
        return backends;
    }

    @Override
    public TrafficSplit read() {
        if (down) {
            throw new RouterException("router " + name + " is unreachable", true);
        }
        return split;
    }

    @Override
    public synchronized TrafficSplit apply(TrafficSplit target) {
        if (down) {
            throw new RouterException("router " + name + " is unreachable", true);
        }
        if (failNextApplies.get() > 0) {
            failNextApplies.decrementAndGet();
            throw new RouterException("router " + name + " refused the change (injected)", true);
        }
        split = target;
        applied.add(target);
        return split;
    }

    int canaryWeight() {
        return split.of(backends.get(1));
    }

    int stableWeight() {
        return split.of(backends.get(0));
    }

    /** Back to the initial split, as a proxy restarted from its config file. */
    void restart() {
        split = initial;
    }

    @Override
    public Map<String, BackendHealth> health() {
        Map<String, BackendHealth> m = new LinkedHashMap<>();
        backends.forEach(b -> m.put(b, new BackendHealth(BackendHealth.State.UP, "in memory")));
        return m;
    }
}
