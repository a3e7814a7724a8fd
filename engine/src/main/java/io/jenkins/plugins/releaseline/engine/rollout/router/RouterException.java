package io.jenkins.plugins.releaseline.engine.rollout.router;

/**
 * A router refused a change, could not be reached, or read back something other than what was set.
 * {@code retryable} says whether trying the same call again may help (a timeout, a refused connection).
 */
public class RouterException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public RouterException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public RouterException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
