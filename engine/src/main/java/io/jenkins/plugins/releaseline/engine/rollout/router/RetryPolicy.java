package io.jenkins.plugins.releaseline.engine.rollout.router;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a router retries a call that is safe to repeat (setting an absolute weight, reading state): up to
 * {@code attempts} tries, waiting {@code initialBackoff}, then twice as long each time up to {@code maxBackoff}.
 * Only {@link RouterException#retryable() retryable} failures are retried; a refusal is thrown at once.
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

    private static final Logger LOGGER = Logger.getLogger(RetryPolicy.class.getName());

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2));
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (attempts < 1 || attempts > 20) {
            throw new IllegalArgumentException("attempts: " + attempts + " is outside 1..20");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff: initial " + initialBackoff + " must be >= 0 and <= the maximum " + maxBackoff);
        }
    }

    /** Runs an idempotent {@code call}, retrying retryable failures; the last failure names how many tries were made. */
    public <T> T run(String what, Supplier<T> call) {
        Duration wait = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RouterException e) {
                if (!e.retryable() || attempt >= attempts) {
                    if (attempt > 1) {
                        throw new RouterException(what + " failed after " + attempt + " attempts: " + e.getMessage(), e.retryable(), e);
                    }
                    throw e;
                }
                LOGGER.log(Level.FINE, what + " failed (attempt " + attempt + " of " + attempts + "), retrying in " + wait, e);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RouterException(what + " interrupted while waiting to retry", false, e);
                }
                wait = wait.multipliedBy(2);
                if (wait.compareTo(maxBackoff) > 0) {
                    wait = maxBackoff;
                }
            }
        }
    }
}
