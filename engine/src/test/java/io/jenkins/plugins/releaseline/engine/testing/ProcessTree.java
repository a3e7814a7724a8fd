package io.jenkins.plugins.releaseline.engine.testing;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stops a server the tests started together with every process it started (nginx's workers), so that none outlives
 * the test, even when the test fails or the JVM exits without closing it. The server is asked to stop first
 * (SIGTERM: nginx's master then stops its own workers and waits for them); whatever is still alive after the grace
 * period, the server or any descendant ever seen, is killed, and each is waited for.
 */
public final class ProcessTree {

    private static final Map<Process, Thread> AT_EXIT = new ConcurrentHashMap<>();

    private ProcessTree() {}

    /** The last resort: stop {@code process} and its descendants when the JVM exits, if nothing stopped them before. */
    public static void stopAtExit(Process process) {
        Thread hook = new Thread(() -> stop(process, Duration.ofSeconds(2)), "stop-test-server-" + process.pid());
        if (AT_EXIT.putIfAbsent(process, hook) == null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Stops {@code process} and every process it started; returns when none of them is alive (or after about 20 s). */
    public static void stop(Process process, Duration grace) {
        Set<ProcessHandle> seen = new LinkedHashSet<>();
        collect(process, seen);
        process.destroy();
        long end = System.nanoTime() + grace.toNanos();
        while (process.isAlive() && System.nanoTime() < end) {
            collect(process, seen);
            pause(20);
        }
        collect(process, seen);
        process.destroyForcibly();
        seen.forEach(ProcessHandle::destroyForcibly);
        await(process.toHandle());
        seen.forEach(ProcessTree::await);
        forget(process);
    }

    /** Every process alive now that {@code process} started, directly or not. */
    public static Set<ProcessHandle> descendants(Process process) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        collect(process, all);
        return all;
    }

    private static void collect(Process process, Set<ProcessHandle> into) {
        process.toHandle().descendants().forEach(into::add);
    }

    private static void await(ProcessHandle handle) {
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("process " + handle.pid() + " did not exit: " + e);
        }
    }

    private static void forget(Process process) {
        Thread hook = AT_EXIT.remove(process);
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already exiting: the hook runs or has run
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
