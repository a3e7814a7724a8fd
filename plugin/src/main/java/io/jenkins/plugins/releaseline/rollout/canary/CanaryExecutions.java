package io.jenkins.plugins.releaseline.rollout.canary;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;

/**
 * The canary executions running in this Jenkins, by rollout id, so that the build page's buttons and the blocks'
 * callbacks can wake them. An execution is here from its start (or its resumption) until it ends, and no longer.
 */
final class CanaryExecutions {

    private static final Logger LOGGER = Logger.getLogger(CanaryExecutions.class.getName());
    private static final Map<String, CanaryDeployExecution> RUNNING = new ConcurrentHashMap<>();

    private CanaryExecutions() {}

    static void add(String rolloutId, CanaryDeployExecution execution) {
        RUNNING.put(rolloutId, execution);
    }

    static void remove(String rolloutId, CanaryDeployExecution execution) {
        RUNNING.remove(rolloutId, execution);
    }

    static int size() {
        return RUNNING.size();
    }

    /** Asks the rollout's execution, if it runs here, for an advance now (a button changed the rollout). */
    static void wake(String rolloutId) {
        CanaryDeployExecution e = RUNNING.get(rolloutId);
        if (e != null) {
            e.schedule(0);
        }
    }

    /** A block of the rollout ended: hands the outcome to the driver on the timer, then wakes the execution. */
    static void bodyFinished(String rolloutId, String bodyId, boolean succeeded, String detail) {
        Timer.get().submit(() -> {
            try {
                CanaryService.get().driver(rolloutId).bodyFinished(bodyId, succeeded, detail);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "canary " + rolloutId + ": could not record the end of " + bodyId
                        + "; the next advance waits for it until the block timeout", e);
            }
            wake(rolloutId);
        });
    }
}
