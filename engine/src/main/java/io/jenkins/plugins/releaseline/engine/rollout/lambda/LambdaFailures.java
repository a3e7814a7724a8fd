package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** How a failed Lambda call reads in a message, and whether trying again may help. */
final class LambdaFailures {

    private LambdaFailures() {}

    static String errorCode(SdkException e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
    }

    /** {@code ResourceNotFoundException: Alias not found: ...}, or the client-side failure. */
    static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Throttling, a service fault, a conflict with a concurrent change, or no answer at all. */
    static boolean retryable(SdkException e) {
        if (e instanceof SdkClientException) {
            return true;
        }
        String code = errorCode(e);
        return code != null && switch (code) {
            case "TooManyRequestsException", "ServiceException", "ResourceConflictException", "PreconditionFailedException",
                    "ResourceNotReadyException" -> true;
            default -> false;
        };
    }

    static boolean notFound(SdkException e) {
        return "ResourceNotFoundException".equals(errorCode(e));
    }
}
