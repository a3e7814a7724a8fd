package io.jenkins.plugins.releaseline.promotion;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code promote} steps of this controller that wait for their gates, by driver id, so that an approval made
 * here wakes them at once instead of at their next poll. Holds the executions weakly; an execution leaves when it
 * ends (and a collected one is dropped at the next wake-up).
 */
final class WaitingPromotions {

    private static final Map<String, WeakReference<PromoteStepExecution>> WAITING = new ConcurrentHashMap<>();

    private WaitingPromotions() {}

    static void waiting(String driverId, PromoteStepExecution execution) {
        WAITING.put(driverId, new WeakReference<>(execution));
    }

    static void ended(String driverId) {
        WAITING.remove(driverId);
    }

    /** Asks every waiting step to look at its gates now. */
    static void wakeAll() {
        WAITING.forEach((id, ref) -> {
            PromoteStepExecution execution = ref.get();
            if (execution == null) {
                WAITING.remove(id, ref);
            } else {
                execution.pollSoon();
            }
        });
    }

    /** The driver ids of the steps that wait now. */
    static Set<String> ids() {
        return Set.copyOf(WAITING.keySet());
    }
}
