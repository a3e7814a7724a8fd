package io.jenkins.plugins.releaseline.engine.drive;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Drives a {@link Driver} to its end on the calling thread: the loop of the command line and of freestyle build
 * wrappers (which run on an executor thread, where waiting is allowed). Pipelines never use it: their steps call
 * {@code advance} from timer tasks instead.
 */
public final class DriveLoop {

    /** Runs the body the driver asks for, on this thread, and says whether it succeeded. */
    @FunctionalInterface
    public interface BodyRunner {
        /** Returns null on success, or what went wrong. */
        String run(Next.RunBody body) throws InterruptedException;
    }

    /** Waits; tests pass one that moves their clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration longestWait;
    private final Consumer<Next> onStep;

    /**
     * @param longestWait the longest single wait, so that changes made elsewhere (an approval in another process) are
     *                    seen within it
     * @param onStep      hears every {@link Next} (for the log); may be null
     */
    public DriveLoop(Clock clock, Sleeper sleeper, Duration longestWait, Consumer<Next> onStep) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.longestWait = Objects.requireNonNull(longestWait, "longestWait");
        this.onStep = onStep == null ? n -> {} : onStep;
    }

    /** A loop on the system clock that really sleeps. */
    public static DriveLoop systemClock(Duration longestWait, Consumer<Next> onStep) {
        return new DriveLoop(Clock.systemUTC(), d -> Thread.sleep(Math.max(1, d.toMillis())), longestWait, onStep);
    }

    /**
     * Advances until the driver is done or failed; runs each body it asks for with {@code bodies}. An interrupt
     * asks the driver to stop and drives the wind-down to its end before rethrowing.
     */
    public Next run(Driver driver, BodyRunner bodies) throws InterruptedException {
        InterruptedException interrupted = null;
        while (true) {
            Next next = driver.advance(clock.instant());
            onStep.accept(next);
            try {
                if (next.terminal()) {
                    if (interrupted != null) {
                        throw interrupted;
                    }
                    return next;
                }
                if (next instanceof Next.RunBody body) {
                    String failure;
                    try {
                        failure = bodies.run(body);
                    } catch (RuntimeException e) {
                        failure = String.valueOf(e.getMessage());
                    }
                    driver.bodyFinished(body.bodyId(), failure == null, failure);
                } else if (next instanceof Next.Wait wait) {
                    Duration d = wait.from(clock.instant());
                    sleeper.sleep(d.compareTo(longestWait) > 0 ? longestWait : d);
                } else if (next instanceof Next.AwaitBody) {
                    // this loop runs bodies itself; a body it did not start belongs to a process that died
                    sleeper.sleep(longestWait);
                }
            } catch (InterruptedException e) {
                if (interrupted != null) {
                    throw e;
                }
                interrupted = e;
                driver.requestStop("interrupted");
            }
        }
    }
}
