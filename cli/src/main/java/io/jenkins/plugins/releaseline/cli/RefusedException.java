package io.jenkins.plugins.releaseline.cli;

/** A gate or a freeze said no: exit code 2, with the reasons as the message. */
public class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
        super(message);
    }
}
