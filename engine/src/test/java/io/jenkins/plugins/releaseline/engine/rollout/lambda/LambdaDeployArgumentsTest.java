package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaDeployArgumentsTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("function", "prod-orders");
        m.put("version", "1.4.2");
        m.put("digest", DIGEST);
        m.put("s3", Map.of("bucket", "builds", "key", "orders/orders.zip", "version", "3HL4kqtJlcpXroDTDmJ"));
        m.put("strategy", "Canary10Percent5Minutes");
        m.put("region", "eu-west-1");
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove((String) kv[i]);
            } else {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @Test
    void theIssuesCallReadsWithItsDefaults() {
        LambdaDeployArguments a = LambdaDeployArguments.parse(args());
        assertThat(a.environment()).isEqualTo("prod");
        assertThat(a.artifact()).isEqualTo("orders");
        assertThat(a.alias()).isEqualTo("live");
        assertThat(a.s3().describe()).isEqualTo("s3://builds/orders/orders.zip?versionId=3HL4kqtJlcpXroDTDmJ");
        assertThat(a.plan().stepsText()).isEqualTo("10%/5m, 100%");
        assertThat(a.metrics()).singleElement().satisfies(m -> {
            assertThat(m.source()).isEqualTo(LambdaInvokeSource.ID);
            assertThat(m.threshold()).isEqualTo(0.0);
        });
        assertThat(a.updateTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(a.request(a.s3(), null, "main", "orders/main", null, "carol").artifact().digest().toString()).isEqualTo(DIGEST);
    }

    @Test
    void aZipComputesItsDigestAndACloudWatchAnalysisIsRead() {
        LambdaDeployArguments a = LambdaDeployArguments.parse(args("s3", null, "digest", null, "zip", "target/orders.zip",
                "environment", "production", "analysis", List.of(Map.of("name", "errors", "source", "cloudwatch",
                        "query", "SUM(SEARCH('ExecutedVersion=\"{{version}}\"', 'Sum', 60))", "threshold", 0.01)),
                "cloudwatch", Map.of("period", 60), "strategy", "Linear10PercentEvery1Minute"));
        assertThat(a.environment()).isEqualTo("production");
        assertThat(a.zip()).isEqualTo("target/orders.zip");
        assertThat(a.digest()).isNull();
        assertThat(a.usesCloudWatch()).isTrue();
        assertThat(a.plan().steps()).hasSize(10);
        assertThat(a.request(new LambdaCode.ZipFile(java.nio.file.Path.of("x.zip")), "AB".repeat(32), "main", null, null, "ci")
                .artifact().digest().toString()).isEqualTo(DIGEST);
    }

    @Test
    void theProdCallOfTheExampleJenkinsfileReads() {
        String search = "SEARCH('{AWS/Lambda,FunctionName,Resource,ExecutedVersion} MetricName=\"%s\" FunctionName=\"prod-orders\" "
                + "ExecutedVersion=\"{{version}}\"', '%s', 60)";
        LambdaDeployArguments a = LambdaDeployArguments.parse(args("alias", "live", "strategy", "Canary10Percent5Minutes",
                "probePayload", "{\"orderId\":\"smoke-test\",\"items\":1}",
                "analysis", List.of(
                        Map.of("name", "error-rate", "source", "cloudwatch", "threshold", new java.math.BigDecimal("0.01"),
                                "absoluteTolerance", new java.math.BigDecimal("0.005"), "minSamples", 5, "critical", true,
                                "query", "SUM(" + search.formatted("Errors", "Sum") + ")\n / SUM(" + search.formatted("Invocations", "Sum") + ")"),
                        Map.of("name", "throttles", "source", "cloudwatch", "threshold", 0, "compare", false, "minSamples", 1,
                                "query", "SUM(" + search.formatted("Throttles", "Sum") + ")"),
                        Map.of("name", "p99-duration", "source", "cloudwatch", "tolerance", new java.math.BigDecimal("0.2"), "minSamples", 5,
                                "query", search.formatted("Duration", "p99"))),
                "cloudwatch", Map.of("period", 60), "gateTimeout", "48h", "credentialsId", "aws-prod"));
        assertThat(a.metrics()).extracting(m -> m.name()).containsExactly("error-rate", "throttles", "p99-duration");
        assertThat(a.metrics().get(0).critical()).isTrue();
        assertThat(a.gateTimeout()).isEqualTo(Duration.ofHours(48));
        assertThat(a.usesCloudWatch()).isTrue();
        assertThat(a.credentialsId()).isEqualTo("aws-prod");
    }

    @Test
    void everyBadArgumentIsNamed() {
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("strategy", "Canary10Percnt5Minutes")))
                .hasMessageStartingWith("strategy: 'Canary10Percnt5Minutes' is neither a CodeDeploy name");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("strategy", null))).hasMessageStartingWith("strategy:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("alias", "7"))).hasMessageStartingWith("alias:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("function", null))).hasMessageStartingWith("function:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("function", "orders"))).hasMessageStartingWith("environment:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("digest", null))).hasMessageStartingWith("digest: required with s3");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("digest", "sha256:12"))).hasMessageStartingWith("digest:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("zip", "a.zip"))).hasMessageStartingWith("s3: give exactly one");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("s3", null))).hasMessageStartingWith("s3: give exactly one");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("s3", Map.of("bucket", "builds", "key", "k"))))
                .hasMessageStartingWith("s3.version: must give the object version id");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("s3", Map.of("bucket", "builds", "key", "k", "versionId", "x"))))
                .hasMessageStartingWith("s3.versionId: unknown");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("region", "Frankfurt"))).hasMessageStartingWith("region:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("region", null))).hasMessageStartingWith("region:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("version", null))).hasMessageStartingWith("version:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("endpoint", "ftp://x"))).hasMessageStartingWith("endpoint:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("cloudwatch", Map.of("period", 7)))).hasMessageStartingWith("cloudwatch.period:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("invocations", 0))).hasMessageStartingWith("invocations:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("gateTimeout", "soon"))).hasMessageStartingWith("gateTimeout:");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("weights", "0.1"))).hasMessageStartingWith("weights: is not an argument of lambdaDeploy");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("analysis", List.of(Map.of("name", "p99", "source", "prometheus", "query", "q", "threshold", 1)))))
                .hasMessageStartingWith("analysis: metric p99: source 'prometheus' is not one of [cloudwatch, lambda-invoke]");
        assertThatThrownBy(() -> LambdaDeployArguments.parse(args("analysis", "errors"))).hasMessageStartingWith("analysis: must be a list of maps");
    }
}
