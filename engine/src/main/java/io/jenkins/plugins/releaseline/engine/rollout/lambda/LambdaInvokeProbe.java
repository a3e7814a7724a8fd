package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The pre-traffic check: invokes the new version directly (by its number, not through the alias) with a test
 * payload, and fails when Lambda reports a {@code FunctionError} or the call itself fails. Also counts errors
 * over several invocations, for an analysis that has no metric service to ask.
 */
public final class LambdaInvokeProbe {

    /** One invocation: which version ran, the error type Lambda reported (null when none), and the payload. */
    public record Result(String executedVersion, int statusCode, String functionError, String payload) {
        public boolean failed() {
            return functionError != null;
        }
    }

    private final LambdaClient client;

    public LambdaInvokeProbe(LambdaClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    public Result invoke(String function, String qualifier, String payload) {
        String fn = LambdaNames.function(function);
        InvokeResponse r;
        try {
            r = client.invoke(b -> b.functionName(fn).qualifier(qualifier).invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromString(payload == null ? "{}" : payload, StandardCharsets.UTF_8)));
        } catch (SdkException e) {
            throw new LambdaDeployException("probe: invoking " + fn + ":" + qualifier + " failed (" + LambdaFailures.describe(e) + ")",
                    LambdaFailures.retryable(e), e);
        }
        String body = r.payload() == null ? "" : r.payload().asUtf8String();
        return new Result(r.executedVersion(), r.statusCode(), r.functionError(), body);
    }

    /** Invokes {@code version} once; throws when it reports a FunctionError, naming the version and Lambda's error. */
    public Result requirePass(String function, String version, String payload) {
        String v = LambdaNames.version("version", version);
        Result r = invoke(function, v, payload);
        if (r.failed()) {
            throw new LambdaDeployException("probe: version " + v + " of " + function + " answered the test payload with FunctionError "
                    + r.functionError() + ": " + abbreviate(r.payload()) + "; it takes no traffic", false);
        }
        if (!v.equals(r.executedVersion())) {
            throw new LambdaDeployException("probe: invoking version " + v + " of " + function + " ran version " + r.executedVersion(), false);
        }
        return r;
    }

    private static String abbreviate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
