package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Where and as whom to reach the Lambda API: a region (each router names its own), credentials (the AWS default
 * chain when none are given, or a provider the caller resolved, e.g. from Jenkins credentials), and an
 * optional endpoint override (a VPC endpoint, or a test server on loopback). The client uses the JDK's
 * URLConnection transport only.
 *
 * <p>{@code timeout} bounds every call: the connection is given at most 5 s (or {@code timeout} if shorter), a
 * read waits at most {@code timeout}, one attempt (with the SDK's retries inside a call) takes at most
 * {@code timeout}, and the whole call, retries included, at most twice that. So a driver's advance that makes
 * {@code n} calls returns within {@code 2 * n * timeout}, also when the endpoint accepts and never answers.
 */
public record LambdaConnection(String region, AwsCredentialsProvider credentials, URI endpointOverride, Duration timeout) {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");

    public LambdaConnection {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region: must name the AWS region of the function, such as eu-west-1");
        }
        region = region.strip();
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region: '" + region + "' is not an AWS region name; give one such as eu-west-1 or us-east-1");
        }
        if (endpointOverride != null && !("http".equals(endpointOverride.getScheme()) || "https".equals(endpointOverride.getScheme()))) {
            throw new IllegalArgumentException("endpoint: '" + endpointOverride + "' must be an http or https URL");
        }
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: must be longer than 0");
        }
    }

    /** The default credential chain (environment, profile, web identity, container or instance role). */
    public static LambdaConnection defaultChain(String region) {
        return new LambdaConnection(region, null, null, null);
    }

    public LambdaConnection withCredentials(AwsCredentialsProvider provider) {
        return new LambdaConnection(region, Objects.requireNonNull(provider, "credentials"), endpointOverride, timeout);
    }

    public LambdaConnection withEndpoint(URI endpoint) {
        return new LambdaConnection(region, credentials, endpoint, timeout);
    }

    public LambdaConnection withTimeout(Duration callTimeout) {
        return new LambdaConnection(region, credentials, endpointOverride, callTimeout);
    }

    /** The connect timeout: 5 s, or the call timeout when that is shorter. */
    public Duration connectTimeout() {
        return timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
    }

    /** The longest one call may take, retries included. */
    public Duration callBudget() {
        return timeout.multipliedBy(2);
    }

    /** The HTTP transport with this connection's connect and read timeouts (for Lambda and CloudWatch alike). */
    public UrlConnectionHttpClient.Builder httpClient() {
        return UrlConnectionHttpClient.builder().connectionTimeout(connectTimeout()).socketTimeout(timeout);
    }

    /** Attempt and call timeouts for any SDK client of this connection. */
    public ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().apiCallAttemptTimeout(timeout).apiCallTimeout(callBudget()).build();
    }

    /** The credentials to sign with: the given provider, or the default chain. */
    public AwsCredentialsProvider credentialsOrDefault() {
        return credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
    }

    /** A new client; the caller closes it. */
    public LambdaClient client() {
        return client(overrides());
    }

    /**
     * A new client that sends each request once, without the SDK's retries: for callers that journal their side
     * effects and reconcile them (a retried attempt of {@code PublishVersion} whose first answer was lost would
     * otherwise be a second call). The caller closes it.
     */
    public LambdaClient clientWithoutRetries() {
        return client(overrides().toBuilder().retryStrategy(AwsRetryStrategy.doNotRetry()).build());
    }

    private LambdaClient client(ClientOverrideConfiguration overrides) {
        var builder = LambdaClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentialsOrDefault())
                .httpClientBuilder(httpClient())
                .overrideConfiguration(overrides);
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder.build();
    }
}
