package io.jenkins.plugins.releaseline.engine.rollout.lambda;

/**
 * A Lambda deployment was refused or failed: the update of the code failed, did not finish in time, the
 * published code is not the promoted digest, or the new version failed its probe. The message starts with the
 * field concerned and says what happened; {@code retryable} says whether the same deployment may succeed later.
 */
public class LambdaDeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public LambdaDeployException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public LambdaDeployException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
