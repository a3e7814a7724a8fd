package io.jenkins.plugins.releaseline;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The {@link DriverStepExecution}s running in this Jenkins, by driver id, so that a page (a canary's buttons), an
 * approval or a body's callback can wake them. Held weakly; an execution is here from its start (or resumption) until
 * it ends, and a collected one is dropped when met. In memory only: safe on the CPS VM thread and on hot paths.
 */
public final class RunningDrivers {

    private static final Map<String, WeakReference<DriverStepExecution<?>>> RUNNING = new ConcurrentHashMap<>();

    private RunningDrivers() {}

    static void add(String driverId, DriverStepExecution<?> execution) {
        RUNNING.put(driverId, new WeakReference<>(execution));
    }

    static void remove(String driverId, DriverStepExecution<?> execution) {
        RUNNING.computeIfPresent(driverId, (id, ref) -> ref.get() == execution || ref.get() == null ? null : ref);
    }

    private static DriverStepExecution<?> get(String driverId) {
        WeakReference<DriverStepExecution<?>> ref = RUNNING.get(driverId);
        DriverStepExecution<?> e = ref == null ? null : ref.get();
        if (ref != null && e == null) {
            RUNNING.remove(driverId, ref);
        }
        return e;
    }

    /** Asks the execution of {@code driverId}, if it runs here, for an advance now. */
    public static void wake(String driverId) {
        DriverStepExecution<?> e = get(driverId);
        if (e != null) {
            e.schedule(0);
        }
    }

    /** Asks every running execution of {@code type} for an advance in {@code delayMillis}. */
    public static void wakeAll(Class<? extends DriverStepExecution<?>> type, long delayMillis) {
        for (String id : ids(type)) {
            DriverStepExecution<?> e = get(id);
            if (e != null) {
                e.schedule(delayMillis);
            }
        }
    }

    /** The driver ids of the running executions of {@code type}. */
    public static Set<String> ids(Class<? extends DriverStepExecution<?>> type) {
        return RUNNING.entrySet().stream()
                .filter(en -> type.isInstance(en.getValue().get()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A body ended: its execution takes it (found here, or among the running steps when it is not here yet). */
    static void bodyEnded(String driverId, String bodyId, boolean ok, Object result, Throwable t) {
        DriverStepExecution<?> e = get(driverId);
        if (e != null) {
            e.bodyEnded(bodyId, ok, result, t);
            return;
        }
        StepExecution.applyAll(DriverStepExecution.class, found -> {
            if (driverId.equals(found.driverId())) {
                found.bodyEnded(bodyId, ok, result, t);
            }
            return null;
        });
    }
}
