package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.LambdaApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;

class LambdaDeployerTest {

    private static LambdaApiServer lambda;
    private static LambdaClient client;
    private static int functions;
    private final byte[] zip = LambdaTesting.zip("orders 1.4.2");
    private final LambdaCodeDigest digest = LambdaCodeDigest.of(zip);
    private final List<String> log = new ArrayList<>();
    private String fn;
    private LambdaDeployer deployer;

    @BeforeAll
    static void start() {
        lambda = LambdaApiServer.start();
        lambda.updateDuration(Duration.ofMillis(250));
        client = LambdaTesting.client(lambda);
    }

    @AfterAll
    static void stop() {
        client.close();
        lambda.close();
    }

    @BeforeEach
    void function() {
        fn = "staging-orders-" + (++functions);
        lambda.createFunction(fn, LambdaTesting.zip("orders 1.4.1"), "live");
        deployer = new LambdaDeployer(client, Duration.ofSeconds(20), Duration.ofMillis(50));
    }

    private long calls(String method, String pathEnd) {
        return lambda.calls().stream().filter(c -> c.method().equals(method) && c.path().equals("/2015-03-31/functions/" + fn + pathEnd)).count();
    }

    @Test
    void findsTheNewestPublishedVersionOfTheSameCodeAcrossPagesOfVersions() {
        assertThat(deployer.findPublished(fn, digest)).isEmpty();
        lambda.publishVersion(fn, zip);
        for (int i = 0; i < 59; i++) {
            lambda.publishVersion(fn, LambdaTesting.zip("other " + i));
        }
        assertThat(deployer.findPublished(fn, digest)).map(LambdaPublishedVersion::version).contains("2");
        lambda.publishVersion(fn, zip);
        assertThat(deployer.findPublished(fn, digest)).map(LambdaPublishedVersion::version).contains("62");
        assertThat(calls("GET", "/versions")).as("pages of 50 read").isEqualTo(1 + 2 + 2);
    }

    @Test
    void deploysAnS3ObjectVersionWaitsForTheUpdateAndPublishesTheSameBytes() throws Exception {
        String objectVersion = lambda.putS3Object("builds", "orders/orders.zip", zip);
        lambda.putS3Object("builds", "orders/orders.zip", LambdaTesting.zip("a later upload to the same key"));

        LambdaPublishedVersion v = deployer.deploy(fn, new LambdaCode.S3Object("builds", "orders/orders.zip", objectVersion),
                digest.promoted(), log::add);

        assertThat(v.version()).isEqualTo("2");
        assertThat(v.digest()).isEqualTo(digest);
        assertThat(v.digest().codeSha256()).isEqualTo(LambdaApiServer.codeSha256(zip));
        assertThat(log).anyMatch(l -> l.startsWith("Update started: LastUpdateStatus InProgress"))
                .anyMatch(l -> l.contains("Waiting for the update"))
                .anyMatch(l -> l.equals("Published " + fn + " version 2 with CodeSha256 " + digest.codeSha256() + " = " + digest.promoted()));
        assertThat(lambda.aliasVersion(fn, "live")).isEqualTo("1");
        assertThat(calls("PUT", "/aliases/live")).isZero();
    }

    @Test
    void deploysAZipAndAcceptsTheDigestAsBareHex(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orders.zip");
        Files.write(file, zip);
        LambdaPublishedVersion v = deployer.deploy(fn, new LambdaCode.ZipFile(file), digest.hex().toUpperCase(), log::add);
        assertThat(v.version()).isEqualTo("2");
        assertThat(lambda.versions(fn)).containsExactly("1", "2");

        // the same bytes again: Lambda answers the version it already published for them
        LambdaPublishedVersion again = deployer.deploy(fn, new LambdaCode.ZipFile(file), digest.promoted(), log::add);
        assertThat(again.version()).isEqualTo("2");
        assertThat(lambda.versions(fn)).containsExactly("1", "2");
    }

    @Test
    void aRebuiltZipIsRefusedBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orders.zip");
        byte[] rebuilt = LambdaTesting.zip("orders 1.4.2 rebuilt");
        Files.write(file, rebuilt);
        long updates = calls("PUT", "/code");
        assertThatThrownBy(() -> deployer.deploy(fn, new LambdaCode.ZipFile(file), digest.promoted(), log::add))
                .isInstanceOf(LambdaDeployException.class)
                .hasMessageStartingWith("digest: " + file + " has " + LambdaCodeDigest.of(rebuilt).promoted())
                .hasMessageContaining("but the promoted digest is " + digest.promoted());
        assertThat(calls("PUT", "/code")).isEqualTo(updates);
        assertThat(lambda.versions(fn)).containsExactly("1");
    }

    @Test
    void anS3ObjectWithOtherBytesIsNotPublishedAndTheMessageNamesBothDigests() {
        String other = lambda.putS3Object("builds", "orders/orders.zip", LambdaTesting.zip("someone else's build"));
        LambdaCodeDigest otherDigest = LambdaCodeDigest.of(LambdaTesting.zip("someone else's build"));
        assertThatThrownBy(() -> deployer.deploy(fn, new LambdaCode.S3Object("builds", "orders/orders.zip", other), digest.promoted(), log::add))
                .isInstanceOf(LambdaDeployException.class)
                .hasMessageStartingWith("digest: s3://builds/orders/orders.zip?versionId=" + other)
                .hasMessageContaining("CodeSha256 " + otherDigest.codeSha256() + " (" + otherDigest.promoted() + ")")
                .hasMessageContaining("the promoted digest is " + digest.promoted() + " (CodeSha256 " + digest.codeSha256() + ")")
                .hasMessageContaining("nothing was published and no alias was changed");
        assertThat(lambda.versions(fn)).containsExactly("1");
        assertThat(lambda.aliasVersion(fn, "live")).isEqualTo("1");
        assertThat(calls("POST", "/versions")).isZero();
    }

    @Test
    void anS3ObjectVersionKeyOrBucketThatIsNotThereIsNamed() {
        lambda.putS3Object("builds", "orders/orders.zip", zip);
        assertThatThrownBy(() -> deployer.deploy(fn, new LambdaCode.S3Object("builds", "orders/orders.zip", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"),
                digest.promoted(), log::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("s3.version: object version '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' of s3://builds/orders/orders.zip does not exist")
                .hasMessageContaining("InvalidParameterValueException: Error occurred while GetObject. S3 Error Code: NoSuchVersion");
        assertThatThrownBy(() -> deployer.deploy(fn, new LambdaCode.S3Object("builds", "orders/missing.zip", "v1"), digest.promoted(), log::add))
                .hasMessageStartingWith("s3.key: s3://builds/orders/missing.zip does not exist");
        assertThatThrownBy(() -> deployer.deploy(fn, new LambdaCode.S3Object("no-such-bucket", "orders/orders.zip", "v1"), digest.promoted(), log::add))
                .hasMessageStartingWith("s3.bucket: bucket 'no-such-bucket' does not exist");
        assertThatThrownBy(() -> new LambdaCode.S3Object("builds", "orders/orders.zip", " "))
                .hasMessageStartingWith("s3.version: must give the object version id");
        assertThatThrownBy(() -> new LambdaCode.S3Object("Builds_Bucket", "k", "v")).hasMessageStartingWith("s3.bucket:");
        assertThatThrownBy(() -> deployer.deploy("nothing-here", new LambdaCode.S3Object("builds", "orders/orders.zip", "v1"), digest.promoted(), log::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("function: 'nothing-here' does not exist");
        assertThatThrownBy(() -> deployer.deploy(fn, new LambdaCode.S3Object("builds", "orders/orders.zip", "v1"), "sha256:1234", log::add))
                .hasMessageStartingWith("digest:");
        assertThat(lambda.versions(fn)).containsExactly("1");
        assertThat(calls("POST", "/versions")).isZero();
    }

    @Test
    void aFailedUpdateIsReportedWithLambdasReason() {
        String objectVersion = lambda.putS3Object("builds", "orders/orders.zip", zip);
        lambda.failNextUpdate(fn, "Lambda was unable to decrypt the environment variables because KMS access was denied.");
        assertThatThrownBy(() -> deployer.deploy(fn, new LambdaCode.S3Object("builds", "orders/orders.zip", objectVersion), digest.promoted(), log::add))
                .isInstanceOf(LambdaDeployException.class)
                .hasMessage("function: the update of '" + fn + "' failed: Lambda was unable to decrypt the environment variables because "
                        + "KMS access was denied. (InvalidZipFileException); nothing was published and no alias was changed");
        assertThat(lambda.versions(fn)).containsExactly("1");
    }

    @Test
    void anUpdateThatDoesNotFinishInTimeStopsAtTheDeadline() {
        String objectVersion = lambda.putS3Object("builds", "orders/orders.zip", zip);
        lambda.updateDuration(Duration.ofSeconds(30));
        try {
            LambdaDeployer impatient = new LambdaDeployer(client, Duration.ofMillis(300), Duration.ofMillis(50));
            assertThatThrownBy(() -> impatient.deploy(fn, new LambdaCode.S3Object("builds", "orders/orders.zip", objectVersion), digest.promoted(), log::add))
                    .isInstanceOf(LambdaDeployException.class)
                    .hasMessageContaining("was still InProgress after the update")
                    .satisfies(e -> assertThat(((LambdaDeployException) e).retryable()).isTrue());
            assertThat(lambda.versions(fn)).containsExactly("1");
        } finally {
            lambda.updateDuration(Duration.ofMillis(250));
        }
    }

    @Test
    void theProbeInvokesTheNewVersionDirectlyAndFailsOnAFunctionError() throws Exception {
        String objectVersion = lambda.putS3Object("builds", "orders/orders.zip", zip);
        LambdaPublishedVersion v = deployer.deploy(fn, new LambdaCode.S3Object("builds", "orders/orders.zip", objectVersion), digest.promoted(), log::add);
        LambdaInvokeProbe probe = new LambdaInvokeProbe(client);
        assertThat(probe.requirePass(fn, v.version(), "{\"order\":\"test\"}").executedVersion()).isEqualTo(v.version());

        lambda.onCode(digest.codeSha256(), payload -> LambdaApiServer.Invocation.unhandled("NullPointerException", "order.items is null"));
        assertThatThrownBy(() -> probe.requirePass(fn, v.version(), "{\"order\":\"test\"}"))
                .isInstanceOf(LambdaDeployException.class)
                .hasMessageStartingWith("probe: version 2 of " + fn + " answered the test payload with FunctionError Unhandled:")
                .hasMessageContaining("order.items is null");
        assertThat(lambda.invocations(fn, "2")).isEqualTo(2);
        assertThat(lambda.invocations(fn, "1")).isZero();
        assertThat(lambda.aliasWeights(fn, "live")).isEqualTo(Map.of());
    }

    @Test
    void badConstructionIsNamed() {
        assertThatThrownBy(() -> new LambdaDeployer(client, Duration.ZERO, Duration.ofSeconds(1))).hasMessageStartingWith("updateDeadline:");
        assertThatThrownBy(() -> new LambdaDeployer(client, Duration.ofSeconds(1), null)).hasMessageStartingWith("pollInterval:");
        assertThatThrownBy(() -> LambdaConnection.defaultChain("Ireland")).hasMessageStartingWith("region: 'Ireland' is not an AWS region name");
        assertThatThrownBy(() -> LambdaConnection.defaultChain(null)).hasMessageStartingWith("region:");
    }
}
