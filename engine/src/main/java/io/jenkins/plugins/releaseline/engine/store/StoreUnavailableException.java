package io.jenkins.plugins.releaseline.engine.store;

import java.time.Instant;

/**
 * The store cannot be reached: "Release Line store unavailable since T: error". Thrown at once while the
 * {@link StoreAvailability} breaker is open, so nothing waits for a connection timeout.
 */
public class StoreUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final Instant since;
    private final String error;

    public StoreUnavailableException(Instant since, String error, Throwable cause) {
        super("Release Line store unavailable since " + since + ": " + (error == null ? "unknown error" : error), cause);
        this.since = since;
        this.error = error == null ? "unknown error" : error;
    }

    public Instant since() {
        return since;
    }

    public String error() {
        return error;
    }
}
