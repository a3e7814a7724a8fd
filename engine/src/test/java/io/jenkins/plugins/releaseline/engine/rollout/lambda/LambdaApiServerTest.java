package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.LambdaApiServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** The loopback endpoint refuses through the real SDK what the service refuses, with the service's error types. */
class LambdaApiServerTest {

    private static LambdaApiServer lambda;
    private static LambdaClient client;

    @BeforeAll
    static void start() {
        lambda = LambdaApiServer.start();
        client = LambdaTesting.client(lambda);
        lambda.createFunction("int-orders", LambdaTesting.zip("v1"), "live");
        lambda.publishVersion("int-orders", LambdaTesting.zip("v2"));
        lambda.publishVersion("int-orders", LambdaTesting.zip("v3"));
    }

    @AfterAll
    static void stop() {
        client.close();
        lambda.close();
    }

    private void weights(Map<String, Double> w) {
        client.updateAlias(b -> b.functionName("int-orders").name("live").functionVersion("1").routingConfig(r -> r.additionalVersionWeights(w)));
    }

    @Test
    void enforcesTheRoutingConfigurationRules() {
        assertThatThrownBy(() -> weights(Map.of("2", 1.5))).isInstanceOf(LambdaException.class)
                .satisfies(e -> assertThat(((LambdaException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"))
                .hasMessageContaining("Member must have value less than or equal to 1.0")
                .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> weights(Map.of("2", -0.5))).hasMessageContaining("greater than or equal to 0.0");
        assertThatThrownBy(() -> weights(Map.of("2", 0.1, "3", 0.1))).isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("cannot be greater than 1");
        assertThatThrownBy(() -> weights(Map.of("9", 0.1))).isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found: arn:aws:lambda:eu-west-1:123456789012:function:int-orders:9");
        assertThatThrownBy(() -> weights(Map.of("1", 0.1))).isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> client.updateAlias(b -> b.functionName("int-orders").name("live").functionVersion("7")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.getAlias(b -> b.functionName("int-orders").name("nope")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Alias not found");
        assertThatThrownBy(() -> client.getAlias(b -> b.functionName("nothing").name("live")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Function not found");
        assertThatThrownBy(() -> client.updateAlias(b -> b.functionName("int-orders").name("live").functionVersion("1").revisionId("stale")))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(lambda.aliasVersion("int-orders", "live")).isEqualTo("1");
        assertThat(lambda.aliasWeights("int-orders", "live")).isEmpty();

        weights(Map.of("2", 0.25));
        assertThat(client.getAlias(b -> b.functionName("int-orders").name("live")).routingConfig().additionalVersionWeights())
                .containsExactly(Map.entry("2", 0.25));
        weights(Map.of());
        assertThat(lambda.aliasWeights("int-orders", "live")).isEmpty();
    }

    @Test
    void codeSha256IsTheBase64OfTheZipsSha256AndAnUpdateInProgressConflicts() {
        byte[] zip = LambdaTesting.zip("v4");
        var updated = client.updateFunctionCode(b -> b.functionName("int-orders").zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(zip)));
        assertThat(updated.codeSha256()).isEqualTo(LambdaCodeDigest.of(zip).codeSha256());
        assertThat(updated.lastUpdateStatusAsString()).isEqualTo("InProgress");
        assertThatThrownBy(() -> client.publishVersion(b -> b.functionName("int-orders"))).isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining("An update is in progress");
        assertThat(client.getFunctionConfiguration(b -> b.functionName("int-orders").qualifier("live")).version()).isEqualTo("1");
    }
}
