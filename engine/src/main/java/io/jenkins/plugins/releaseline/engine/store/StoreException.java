package io.jenkins.plugins.releaseline.engine.store;

/** The database could not do what was asked; the message says what failed, the cause says why. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
