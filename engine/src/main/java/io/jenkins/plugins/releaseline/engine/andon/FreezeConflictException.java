package io.jenkins.plugins.releaseline.engine.andon;

/**
 * A change that no longer fits the board: the freeze was released meanwhile (by someone else, perhaps at the
 * same moment), expired, or does not exist. The message says what happened; nothing changed.
 */
public final class FreezeConflictException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public FreezeConflictException(String message) {
        super(message);
    }
}
