package io.jenkins.plugins.releaseline.engine.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether the store can be reached, as a circuit breaker: while it is up every caller goes through (one
 * volatile read); once an attempt to reach it fails, the store is <em>unavailable since</em> that moment and
 * callers are refused at once with a {@link StoreUnavailableException} naming the time and the last error,
 * instead of each waiting for a connection timeout. One caller at a time is let through to try again: the
 * first retry {@link #FIRST_RETRY} after the failure, then each failed retry doubles the wait up to
 * {@link #MAX_RETRY}. The first retry that reaches the database closes the breaker.
 *
 * <p>The cap is short on purpose: a store that comes back is noticed within about a second, so that boards
 * reading from it catch up within two; against a dead store that is still one connection attempt a second.
 */
public final class StoreAvailability {

    public static final Duration FIRST_RETRY = Duration.ofMillis(250);
    public static final Duration MAX_RETRY = Duration.ofSeconds(1);

    private static final Logger LOGGER = Logger.getLogger(StoreAvailability.class.getName());

    /** Told when the store goes down and when it is back; called on the thread that found out, so be quick. */
    public interface Listener {
        void unavailable(Instant since, String error);

        void available();
    }

    private final Clock clock;
    private final long firstRetryMillis;
    private final long maxRetryMillis;
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    /** The hot path reads only this. */
    private volatile boolean available = true;
    private volatile Instant unavailableSince;
    private volatile String lastError;
    private long backoffMillis;
    private long nextAttemptMillis;
    /** A retry was let through and has not said how it went; only its failure doubles the wait. */
    private boolean retryOutstanding;
    private volatile long retries;

    public StoreAvailability(Clock clock) {
        this(clock, FIRST_RETRY, MAX_RETRY);
    }

    public StoreAvailability(Clock clock, Duration firstRetry, Duration maxRetry) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.firstRetryMillis = firstRetry.toMillis();
        this.maxRetryMillis = maxRetry.toMillis();
        if (firstRetryMillis < 1 || maxRetryMillis < firstRetryMillis) {
            throw new IllegalArgumentException("retry: the first wait must be positive and at most the cap, not "
                    + firstRetry + " and " + maxRetry);
        }
    }

    /**
     * Before reaching the database. Returns at once while the store is up, and for the one caller whose turn
     * it is to try again; refuses everybody else while it is down.
     *
     * @return whether this caller is the one trying again while the store is down
     * @throws StoreUnavailableException while the store is down and it is not yet time to try again
     */
    public boolean admit() {
        if (available) {
            return false;
        }
        synchronized (this) {
            if (available) {
                return false;
            }
            long now = clock.millis();
            if (now < nextAttemptMillis) {
                throw unavailable();
            }
            // this caller tries; the others keep being refused until it says how it went or the next turn
            nextAttemptMillis = now + backoffMillis;
            retryOutstanding = true;
            retries++;
            return true;
        }
    }

    /** The database answered (even with an error of the caller's making: it is there). */
    public void succeeded() {
        if (available) {
            return;
        }
        synchronized (this) {
            if (available) {
                return;
            }
            LOGGER.log(Level.INFO, "The Release Line store is reachable again (unavailable since {0})", unavailableSince);
            available = true;
            unavailableSince = null;
            retryOutstanding = false;
        }
        for (Listener l : listeners) {
            try {
                l.available();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "A store availability listener failed", e);
            }
        }
    }

    /** The database could not be reached; {@code cause} says why. */
    public void failed(Throwable cause) {
        String error = describe(cause);
        Instant since;
        synchronized (this) {
            lastError = error;
            long now = clock.millis();
            if (!available) {
                if (retryOutstanding) {
                    retryOutstanding = false;
                    backoffMillis = Math.min(maxRetryMillis, backoffMillis * 2);
                    nextAttemptMillis = now + backoffMillis;
                }
                // callers that were already waiting when it went down fail too; they do not lengthen the wait
                return;
            }
            available = false;
            since = Instant.ofEpochMilli(now);
            unavailableSince = since;
            backoffMillis = firstRetryMillis;
            nextAttemptMillis = now + backoffMillis;
            retryOutstanding = false;
        }
        LOGGER.log(Level.WARNING, "The Release Line store is unavailable: {0}", error);
        for (Listener l : listeners) {
            try {
                l.unavailable(since, error);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "A store availability listener failed", e);
            }
        }
    }

    /**
     * Runs one attempt to reach the database under the breaker, telling it how the attempt went: a failure to
     * reach the database opens the breaker, any other error is the caller's and is passed on as it is.
     */
    public <T> T attempt(Attempt<T> work) {
        return attempt(work, null, false);
    }

    /** As {@link #attempt(Attempt)}, running {@code beforeRetry} first when this caller is the one trying again. */
    public <T> T attempt(Attempt<T> work, Runnable beforeRetry) {
        return attempt(work, beforeRetry, false);
    }

    /**
     * Opening the store: any failure (no connection, a refused login, a schema that cannot be migrated)
     * leaves it unusable, so any failure opens the breaker.
     */
    public <T> T attemptToOpen(Attempt<T> work) {
        return attempt(work, null, true);
    }

    private <T> T attempt(Attempt<T> work, Runnable beforeRetry, boolean anyFailure) {
        boolean retry = admit();
        T result;
        try {
            if (retry && beforeRetry != null) {
                beforeRetry.run();
            }
            result = work.run();
        } catch (RuntimeException e) {
            if (anyFailure || isUnreachable(e)) {
                failed(e);
                throw unavailable(e);
            }
            succeeded();
            throw e;
        }
        succeeded();
        return result;
    }

    public boolean isAvailable() {
        return available;
    }

    /** Since when the store cannot be reached; empty while it can. */
    public Optional<Instant> unavailableSince() {
        return available ? Optional.empty() : Optional.ofNullable(unavailableSince);
    }

    /** The error of the last failed attempt, kept after the store came back; empty if none ever failed. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** How many times a caller was let through to try again while the store was down (cumulative). */
    public long retries() {
        return retries;
    }

    /** How long until the next caller may try again; zero while the store is up or when it is time. */
    public synchronized Duration untilNextAttempt() {
        return available ? Duration.ZERO : Duration.ofMillis(Math.max(0, nextAttemptMillis - clock.millis()));
    }

    /** "Release Line store unavailable since T: error", for a caller refused now. */
    public StoreUnavailableException unavailable() {
        return unavailable(null);
    }

    private StoreUnavailableException unavailable(Throwable cause) {
        Instant since = unavailableSince;
        return new StoreUnavailableException(since == null ? clock.instant() : since, lastError, cause);
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * Whether {@code e} says the database could not be reached (no connection, connection lost, server
     * shutting down), as opposed to a statement it refused.
     */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreUnavailableException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof java.net.ConnectException
                    || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.UnknownHostException
                    || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception; 57P01..57P03: server shutting down or not accepting connections;
                // 90020: H2 database file in use by another process; 90098: H2 database closed
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("90020") || state.equals("90098")) {
                    return true;
                }
            }
            if (t.getClass().getName().startsWith("com.zaxxer.hikari.pool.HikariPool$PoolInitializationException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The most telling message of a failure: the innermost database error's, else the outermost one's. */
    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        if (cause instanceof StoreException && !(cause instanceof StoreUnavailableException) && !isUnreachable(cause)
                && cause.getMessage() != null) {
            return cause.getMessage().strip();
        }
        String sql = null;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreUnavailableException u) {
                return u.error();
            }
            if (t instanceof SQLException && t.getMessage() != null && !t.getMessage().isBlank()) {
                sql = t.getMessage();
            }
        }
        String message = sql != null ? sql : cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message.strip();
    }

    /** One attempt to reach the database. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run();
    }
}
