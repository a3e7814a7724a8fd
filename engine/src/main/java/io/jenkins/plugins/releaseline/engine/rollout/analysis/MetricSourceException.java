package io.jenkins.plugins.releaseline.engine.rollout.analysis;

/** A metric source could not answer: unreachable, timed out, or refused the query; the message says which. */
public class MetricSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetricSourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public MetricSourceException(String message) {
        super(message);
    }
}
