package io.jenkins.plugins.releaseline.engine.drive;

import io.jenkins.plugins.releaseline.engine.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Drives a {@link Driver} to its end on the calling thread, for callers that may wait: the CLI and a freestyle
 * build's executor thread (never a Jenkins timer thread nor the CPS VM thread; those reschedule instead). Each
 * {@link Next.Wait} sleeps until it is due (at most {@link #MAX_SLEEP}), each {@link Next.RunBody} runs its body once
 * on this thread and reports the end, and the loop returns the terminal {@link Next.Done} or {@link Next.Failed}.
 *
 * <p>A {@link StoreException} from the driver is retried after {@link #STORE_RETRY} until {@code storeOutage} has
 * passed without one success, then rethrown. When the thread is interrupted, the loop asks the driver to stop,
 * advances it once more so that it can record the stop, sets the interrupt flag again and returns that answer.
 */
public final class DriveLoop {

    /** The longest single sleep, so that a stop or an approval is noticed soon even during a long wait. */
    public static final Duration MAX_SLEEP = Duration.ofSeconds(5);

    /** How long after a store error the loop tries again. */
    public static final Duration STORE_RETRY = Duration.ofSeconds(5);

    /** Waits on the calling thread. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Sleeps the calling thread. */
    public static final Sleeper THREAD_SLEEPER = d -> {
        if (!d.isZero() && !d.isNegative()) {
            Thread.sleep(d.toMillis());
        }
    };

    /** Runs a body to its end on the calling thread. */
    @FunctionalInterface
    public interface BodyRunner {
        Outcome run(Next.RunBody body) throws InterruptedException;
    }

    /** How a body ended: {@code detail} is a short text for the ledger (may be null). */
    public record Outcome(boolean succeeded, String detail) {
        public static Outcome ok() {
            return new Outcome(true, null);
        }

        public static Outcome failed(String detail) {
            return new Outcome(false, detail);
        }
    }

    /** For drivers that never ask for a body: refuses to run one. */
    public static final BodyRunner NO_BODY = body -> Outcome.failed("this caller cannot run a body (" + body.purpose() + ")");

    /** A body runner that says what went wrong as text: null when the body succeeded. */
    @FunctionalInterface
    public interface TextBodyRunner {
        String run(Next.RunBody body) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration longestSleep;
    private final Consumer<Next> observer;

    /**
     * A loop object for callers that drive several operations the same way.
     *
     * @param longestSleep the longest single sleep (at most {@link #MAX_SLEEP})
     * @param observer     sees every answer of the driver; may be null
     */
    public DriveLoop(Clock clock, Sleeper sleeper, Duration longestSleep, Consumer<Next> observer) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.longestSleep = longestSleep == null || longestSleep.compareTo(MAX_SLEEP) > 0 ? MAX_SLEEP : longestSleep;
        this.observer = observer == null ? next -> {} : observer;
    }

    /** A loop on the system clock that sleeps the calling thread. */
    public static DriveLoop systemClock(Duration longestSleep, Consumer<Next> observer) {
        return new DriveLoop(Clock.systemUTC(), THREAD_SLEEPER, longestSleep, observer);
    }

    /** {@link #untilDone} with this loop's clock, sleeper and observer, and 5 minutes of store outage. */
    public Next run(Driver driver, TextBodyRunner bodies) throws InterruptedException {
        Objects.requireNonNull(bodies, "bodies");
        BodyRunner runner = body -> {
            String failure = bodies.run(body);
            return failure == null ? Outcome.ok() : Outcome.failed(failure);
        };
        return drive(driver, clock, sleeper, runner, observer, Duration.ofMinutes(5), longestSleep);
    }

    /** {@link #untilDone(Driver, Clock, Sleeper, BodyRunner, Consumer, Duration)} with no observer and 5 minutes of store outage. */
    public static Next untilDone(Driver driver, Clock clock, Sleeper sleeper, BodyRunner bodies) throws InterruptedException {
        return untilDone(driver, clock, sleeper, bodies, next -> {}, Duration.ofMinutes(5));
    }

    /**
     * Advances {@code driver} until it ends. {@code observer} sees every answer of the driver (for a log: it may
     * see the same {@link Next.Wait} reason many times) before the loop acts on it.
     *
     * @return the terminal answer ({@link Next.Done} or {@link Next.Failed}); after an interrupt, whatever the
     *         driver answered to the stop, terminal or not
     * @throws InterruptedException only from a {@link BodyRunner} (the driver is then asked to stop; advance it to
     *         record that); a sleep's interrupt ends the loop as described above
     */
    public static Next untilDone(Driver driver, Clock clock, Sleeper sleeper, BodyRunner bodies, Consumer<Next> observer,
                                 Duration storeOutage) throws InterruptedException {
        return drive(driver, clock, sleeper, Objects.requireNonNull(bodies, "bodies"), observer, storeOutage, MAX_SLEEP);
    }

    /**
     * Like {@link #untilDone}, but returns the first {@link Next.RunBody} instead of running it: for a caller whose
     * body runs after it returns (a freestyle build's steps, after its wrapper's set-up). That caller reports the
     * body's end with {@link Driver#bodyFinished} and drives on with {@link #untilDone}.
     */
    public static Next untilBody(Driver driver, Clock clock, Sleeper sleeper, Consumer<Next> observer, Duration storeOutage)
            throws InterruptedException {
        return drive(driver, clock, sleeper, null, observer, storeOutage, MAX_SLEEP);
    }

    private static Next drive(Driver driver, Clock clock, Sleeper sleeper, BodyRunner bodies, Consumer<Next> observer,
                              Duration storeOutage, Duration maxSleep) throws InterruptedException {
        Objects.requireNonNull(driver, "driver");
        Set<String> started = new HashSet<>();
        Instant lastSuccess = clock.instant();
        while (true) {
            Next next;
            try {
                next = driver.advance(clock.instant());
                lastSuccess = clock.instant();
            } catch (StoreException e) {
                if (Duration.between(lastSuccess, clock.instant()).compareTo(storeOutage) >= 0) {
                    throw e;
                }
                if (!sleep(driver, clock, sleeper, STORE_RETRY)) {
                    return stopped(driver, clock, observer);
                }
                continue;
            }
            observer.accept(next);
            if (next.terminal()) {
                return next;
            }
            if (next instanceof Next.RunBody body) {
                if (bodies == null) {
                    return next;
                }
                if (started.add(body.bodyId())) {
                    Outcome outcome;
                    try {
                        outcome = bodies.run(body);
                    } catch (InterruptedException e) {
                        driver.requestStop("interrupted while the body ran");
                        throw e;
                    }
                    driver.bodyFinished(body.bodyId(), outcome.succeeded(), outcome.detail());
                    continue;
                }
                // asked again for a body this loop ran and reported: wait a little for the driver to catch up
                if (!sleep(driver, clock, sleeper, maxSleep)) {
                    return stopped(driver, clock, observer);
                }
            } else if (next instanceof Next.AwaitBody) {
                if (!sleep(driver, clock, sleeper, maxSleep)) {
                    return stopped(driver, clock, observer);
                }
            } else if (next instanceof Next.Wait wait) {
                Duration d = wait.from(clock.instant());
                if (!sleep(driver, clock, sleeper, d.compareTo(maxSleep) > 0 ? maxSleep : d)) {
                    return stopped(driver, clock, observer);
                }
            }
        }
    }

    private static boolean sleep(Driver driver, Clock clock, Sleeper sleeper, Duration d) {
        try {
            sleeper.sleep(d);
            return true;
        } catch (InterruptedException e) {
            driver.requestStop("interrupted");
            return false;
        }
    }

    private static Next stopped(Driver driver, Clock clock, Consumer<Next> observer) {
        Next next = driver.advance(clock.instant());
        observer.accept(next);
        Thread.currentThread().interrupt();
        return next;
    }
}
