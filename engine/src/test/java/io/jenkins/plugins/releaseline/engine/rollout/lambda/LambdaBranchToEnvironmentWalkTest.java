package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryEvent;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.andon.AndonPermissions;
import io.jenkins.plugins.releaseline.engine.andon.Blocker;
import io.jenkins.plugins.releaseline.engine.andon.Decision;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.andon.WorkKind;
import io.jenkins.plugins.releaseline.engine.andon.WorkScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalRule;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import io.jenkins.plugins.releaseline.engine.promotion.Verdict;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Aggregate;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CloudWatchSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.LambdaCloudWatchMetrics;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.NoData;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.LambdaApiServer;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The branch-to-environment table walked end to end on the engine: pushes to {@code integration},
 * {@code staging} and {@code main} deploy one zip (uploaded once, promoted by digest) to
 * {@code integration-orders}, {@code staging-orders} and {@code prod-orders}; prod waits for an approval and for
 * a freeze to lift; its canary on the alias {@code live} is rolled back when the new version's error rate in
 * CloudWatch fails; the fixed version reaches 100%. Prints the timeline.
 */
class LambdaBranchToEnvironmentWalkTest {

    private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final String ERROR_RATE = "SUM(SEARCH('{AWS/Lambda,FunctionName,Resource,ExecutedVersion} MetricName=\"Errors\" "
            + "FunctionName=\"prod-orders\" Resource=\"prod-orders:live\" ExecutedVersion=\"{{version}}\"', 'Sum', 60)) / "
            + "SUM(SEARCH('{AWS/Lambda,FunctionName,Resource,ExecutedVersion} MetricName=\"Invocations\" "
            + "FunctionName=\"prod-orders\" Resource=\"prod-orders:live\" ExecutedVersion=\"{{version}}\"', 'Sum', 60))";
    /** A big order: 1.4.2 fails on orders of 6 items or more; the probe's test order has one item. */
    private static final String PROBE = "{\"orderId\":\"probe\",\"items\":1}";

    @TempDir
    Path dir;

    private final List<String> timeline = new ArrayList<>();
    private final Map<String, List<Double>> errorRates = new ConcurrentHashMap<>();
    private Store store;
    private TestClock clock;
    private FreezeBoard board;
    private PromotionEngine promotions;
    private CanaryController canaries;
    private LambdaRelease release;
    private LambdaApiServer lambda;
    private LambdaClient client;
    private LambdaCloudWatchMetrics cloudwatch;
    private CloudWatchClient cloudwatchClient;
    private LambdaDeployer deployer;

    @BeforeEach
    void start() {
        store = StoreTarget.h2(dir).open("controller-a");
        clock = new TestClock(T0);
        AuditTrail audit = new AuditTrail(store, clock);
        // the Andon freeze board, asked by the promotion engine's freeze gate
        board = new FreezeBoard(store, audit, clock, AndonPermissions.overrideOnlyBy(Set.of("oncall")));
        FreezeCheck freezes = (environment, job, principal) -> {
            Decision d = board.check(WorkScope.deployment(job, environment, null), WorkKind.DEPLOYMENT);
            return d.allowed() ? FreezeCheck.Answer.clear() : FreezeCheck.Answer.blocked(d.blockers().stream().map(Blocker::describe).toList());
        };
        promotions = new PromotionEngine(store, audit, clock, freezes);
        promotions.configure(EnvironmentOrder.of(List.of(
                Environment.first("integration", "integration", "int-*"),
                Environment.after("integration", "staging", Duration.ZERO, ApprovalRule.NONE, "staging"),
                Environment.after("staging", "prod", Duration.ofMinutes(30),
                        ApprovalRule.of(1, Set.of(), Set.of("release-managers"), true), "main"))), "admin");
        canaries = new CanaryController(store, audit, clock);
        release = new LambdaRelease(promotions, canaries, line -> say("    " + line));

        lambda = LambdaApiServer.start();
        lambda.updateDuration(Duration.ofMillis(150));
        client = LambdaTesting.client(lambda);
        byte[] old = LambdaTesting.zip("orders 1.4.1");
        for (String env : List.of("integration", "staging", "prod")) {
            lambda.createFunction(env + "-orders", old, "live");
        }
        deployer = new LambdaDeployer(client, Duration.ofSeconds(30), Duration.ofMillis(50));

        cloudwatch = new LambdaCloudWatchMetrics(version -> errorRates.getOrDefault(version, List.of()).stream()
                .mapToDouble(Double::doubleValue).toArray());
        cloudwatchClient = CloudWatchClient.builder().region(Region.of(LambdaApiServer.REGION))
                .endpointOverride(URI.create(cloudwatch.url()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        cloudwatchClient.close();
        cloudwatch.close();
        client.close();
        lambda.close();
        board.close();
        store.close();
    }

    private void say(String line) {
        timeline.add(HHMM.format(clock.instant()) + "  " + line);
    }

    private CanaryAnalysis prodAnalysis() {
        CanaryMetric errors = new CanaryMetric("error-rate", "cloudwatch", ERROR_RATE, Direction.LOWER_IS_BETTER, Aggregate.MEAN,
                0.01, true, 0.10, 0.005, 10, NoData.INCONCLUSIVE, true, 1.0);
        return new CanaryAnalysis(List.of(errors), List.of(new CloudWatchSource("cloudwatch", cloudwatchClient, 60)), CanaryJudge.defaults());
    }

    private CanaryAnalysis probeOnly(String function) {
        return new CanaryAnalysis(List.of(LambdaInvokeSource.errorsMetric(PROBE, 20)),
                List.of(new LambdaInvokeSource(new LambdaInvokeProbe(client), function, 20)), CanaryJudge.defaults());
    }

    /** Real orders through the alias for one analysis window; each executed version's error rate per 5 invocations. */
    private void orders(String function, int count) {
        errorRates.clear();
        LambdaInvokeProbe invoker = new LambdaInvokeProbe(client);
        Map<String, int[]> tally = new ConcurrentHashMap<>();
        for (int i = 0; i < count; i++) {
            LambdaInvokeProbe.Result r = invoker.invoke(function, "live", "{\"orderId\":\"o-" + i + "\",\"items\":" + (1 + i % 7) + "}");
            int[] t = tally.computeIfAbsent(r.executedVersion(), v -> new int[2]);
            t[0]++;
            t[1] += r.failed() ? 1 : 0;
            if (t[0] == 5) {
                errorRates.computeIfAbsent(r.executedVersion(), v -> new ArrayList<>()).add(t[1] / 5.0);
                t[0] = 0;
                t[1] = 0;
            }
        }
    }

    private LambdaRelease.Request request(String env, String version, String digest, LambdaCode code, String strategy, String branch, String by) {
        return new LambdaRelease.Request(env, env + "-orders", "live", code, Artifact.of("orders", version, digest), strategy, PROBE,
                branch, "orders/" + branch, "https://ci.example/job/orders/job/" + branch + "/", by);
    }

    /** Gates, deploy, probe and the rollout, with real orders flowing during each canary step. */
    private CanaryRollout deliver(LambdaRelease.Request r, Promotion p, CanaryAnalysis analysis) throws Exception {
        LambdaRelease.Rollout ro = release.deploy(p, r, client, deployer, "ci");
        CanaryRollout state = release.advance(ro, client, analysis, "ci");
        while (!state.state().terminal()) {
            if (state.wakeAt() != null) {
                orders(r.function(), 800);
                if (state.wakeAt().isAfter(clock.instant())) {
                    clock.set(state.wakeAt());
                }
            }
            state = release.advance(ro, client, analysis, "ci");
        }
        return state;
    }

    private Promotion straightThrough(String env, String version, String digest, LambdaCode code, String branch) throws Exception {
        say(branch + " pushed: deploy " + version + " to " + env + " (AllAtOnce)");
        LambdaRelease.Request r = request(env, version, digest, code, "AllAtOnce", branch, "ci");
        Promotion p = release.request(r);
        assertThat(release.begin(p.id(), false, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);
        assertThat(deliver(r, p, probeOnly(r.function())).state()).isEqualTo(CanaryState.SUCCEEDED);
        return promotions.promotion(p.id());
    }

    @Test
    void oneZipWalksIntegrationStagingAndProdAndTheSecondVersionReachesAllTraffic() throws Exception {
        // ---- build and upload once: 1.4.2 (which fails on big orders)
        byte[] zip142 = LambdaTesting.zip("orders 1.4.2");
        String digest142 = LambdaCodeDigest.of(zip142).promoted();
        String object142 = lambda.putS3Object("builds", "orders/orders.zip", zip142);
        lambda.onCode(LambdaApiServer.codeSha256(zip142), payload -> payload.matches(".*\"items\":([6-9]|\\d\\d).*")
                ? LambdaApiServer.Invocation.unhandled("IndexOutOfBoundsException", "Index 5 out of bounds for length 5")
                : LambdaApiServer.Invocation.ok("{\"status\":\"accepted\"}"));
        LambdaCode.S3Object s3of142 = new LambdaCode.S3Object("builds", "orders/orders.zip", object142);
        say("build 1.4.2 on integration: tests passed in parallel; uploaded once as s3://builds/orders/orders.zip?versionId=" + object142
                + ", " + digest142);

        Promotion int142 = straightThrough("integration", "1.4.2", digest142, s3of142, "integration");
        assertThat(int142.status()).isEqualTo(PromotionStatus.DEPLOYED);
        assertThat(lambda.aliasVersion("integration-orders", "live")).isEqualTo("2");
        clock.advance(Duration.ofMinutes(20));
        straightThrough("staging", "1.4.2", digest142, s3of142, "staging");
        assertThat(lambda.aliasVersion("staging-orders", "live")).isEqualTo("2");

        // ---- main: prod is frozen and needs an approval
        clock.advance(Duration.ofMinutes(10));
        Freeze freeze = board.pull("dave", PullRequest.of(FreezeScope.environment("prod"), "payments incident INC-7"));
        say("Andon cord pulled by dave on environment prod: payments incident INC-7 (" + freeze.id() + ")");
        say("main pushed: deploy 1.4.2 to prod (Canary10Percent5Minutes), started by carol");
        LambdaRelease.Request prod142 = request("prod", "1.4.2", digest142, s3of142, "Canary10Percent5Minutes", "main", "carol");
        Promotion p142 = release.request(prod142);
        Attempt held = release.begin(p142.id(), true, "ci");
        assertThat(held.outcome()).isEqualTo(Attempt.Outcome.WAITING);
        assertThat(held.evaluation().of("approvals").verdict()).isEqualTo(Verdict.WAIT);
        assertThat(held.evaluation().of("freeze").reason()).startsWith("prod is frozen: ").contains("pulled by dave: payments incident INC-7");
        assertThatThrownBy(() -> promotions.approve(p142.id(), Actor.user("carol", "release-managers"), "ship it"))
                .hasMessageStartingWith("approver: carol started the build");
        clock.advance(Duration.ofMinutes(25));
        promotions.approve(p142.id(), Actor.user("alice", "release-managers"), "checked the staging dashboards");
        say("alice (release-managers) approved promotion " + p142.id());
        clock.advance(Duration.ofMinutes(5));
        Attempt stillFrozen = release.begin(p142.id(), true, "ci");
        assertThat(stillFrozen.outcome()).isEqualTo(Attempt.Outcome.WAITING);
        assertThat(stillFrozen.evaluation().waiting()).extracting(v -> v.gate()).containsExactly("freeze");
        assertThat(lambda.versions("prod-orders")).containsExactly("1");
        clock.advance(Duration.ofMinutes(15));
        board.release("dave", freeze.id(), "payments recovered");
        say("Andon cord released by dave: payments recovered");
        assertThat(release.begin(p142.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);

        CanaryRollout failed = deliver(prod142, p142, prodAnalysis());
        assertThat(failed.state()).isEqualTo(CanaryState.ROLLED_BACK);
        assertThat(failed.reason()).contains("error-rate");
        assertThat(lambda.aliasVersion("prod-orders", "live")).isEqualTo("1");
        assertThat(lambda.aliasWeights("prod-orders", "live")).isEmpty();
        assertThat(lambda.invocations("prod-orders", "2")).as("the canary took real orders").isPositive();
        assertThat(promotions.promotion(p142.id()).status()).isEqualTo(PromotionStatus.FAILED);
        assertThat(canaries.events(failed.id())).extracting(CanaryEvent::kind).contains(CanaryEvent.Kind.WEIGHT_SET,
                CanaryEvent.Kind.ANALYSIS, CanaryEvent.Kind.ROLLED_BACK);
        assertThat(cloudwatch.requests()).isPositive();
        say("prod stays on version 1 (1.4.1); promotion " + p142.id() + " " + promotions.promotion(p142.id()).status());

        // ---- bad input along the way: a typo in the strategy, a rebuilt zip
        assertThatThrownBy(() -> request("prod", "1.4.2", digest142, s3of142, "Canary10Percnt5Minutes", "main", "carol"))
                .hasMessageStartingWith("strategy: 'Canary10Percnt5Minutes' is neither a CodeDeploy name");

        // ---- 1.4.3 fixes it: built and uploaded once, the same object version everywhere
        clock.advance(Duration.ofHours(1));
        byte[] zip143 = LambdaTesting.zip("orders 1.4.3");
        String digest143 = LambdaCodeDigest.of(zip143).promoted();
        String object143 = lambda.putS3Object("builds", "orders/orders.zip", zip143);
        LambdaCode.S3Object s3of143 = new LambdaCode.S3Object("builds", "orders/orders.zip", object143);
        say("build 1.4.3 on integration: uploaded once as versionId=" + object143 + ", " + digest143);
        straightThrough("integration", "1.4.3", digest143, s3of143, "int-1.4.3");
        clock.advance(Duration.ofMinutes(10));
        straightThrough("staging", "1.4.3", digest143, s3of143, "staging");

        // someone rebuilds 1.4.3 and uploads it: other bytes under the same key; prod refuses it by digest
        byte[] rebuilt = LambdaTesting.zip("orders 1.4.3 rebuilt");
        String objectRebuilt = lambda.putS3Object("builds", "orders/orders.zip", rebuilt);
        Promotion sneaky = release.request(request("prod", "1.4.3", LambdaCodeDigest.of(rebuilt).promoted(),
                new LambdaCode.S3Object("builds", "orders/orders.zip", objectRebuilt), "AllAtOnce", "main", "mallory"));
        Attempt refused = release.begin(sneaky.id(), true, "ci");
        assertThat(refused.outcome()).isEqualTo(Attempt.Outcome.REFUSED);
        assertThat(refused.evaluation().of("previous environment").reason()).startsWith("version 1.4.3 was built again");
        say("a rebuilt 1.4.3 (" + LambdaCodeDigest.of(rebuilt).promoted().substring(0, 19) + "..) to prod: REFUSED by the previous-environment gate");
        // and the promoted digest with the rebuilt object version: Lambda's CodeSha256 gives it away, nothing published
        assertThatThrownBy(() -> deployer.deploy("prod-orders", new LambdaCode.S3Object("builds", "orders/orders.zip", objectRebuilt),
                digest143, s -> {}))
                .isInstanceOf(LambdaDeployException.class)
                .hasMessageContaining(LambdaCodeDigest.of(rebuilt).promoted()).hasMessageContaining(digest143);
        assertThat(lambda.aliasVersion("prod-orders", "live")).isEqualTo("1");

        clock.advance(Duration.ofMinutes(35));
        say("main pushed: deploy 1.4.3 to prod (Canary10Percent5Minutes), started by carol");
        LambdaRelease.Request prod143 = request("prod", "1.4.3", digest143, s3of143, "Canary10Percent5Minutes", "main", "carol");
        Promotion p143 = release.request(prod143);
        assertThat(release.begin(p143.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.WAITING);
        promotions.approve(p143.id(), Actor.user("erin", "release-managers"), null);
        say("erin (release-managers) approved promotion " + p143.id());
        assertThat(release.begin(p143.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);
        CanaryRollout good = deliver(prod143, p143, prodAnalysis());
        assertThat(good.state()).isEqualTo(CanaryState.SUCCEEDED);
        String v143 = lambda.aliasVersion("prod-orders", "live");
        assertThat(lambda.aliasWeights("prod-orders", "live")).isEmpty();
        assertThat(lambda.versions("prod-orders")).containsExactly("1", "2", "3");
        assertThat(client.getFunctionConfiguration(b -> b.functionName("prod-orders").qualifier("live")).codeSha256())
                .isEqualTo(LambdaCodeDigest.parse(digest143).codeSha256());
        assertThat(promotions.promotion(p143.id()).status()).isEqualTo(PromotionStatus.DEPLOYED);
        assertThat(promotions.current().get("prod")).singleElement().satisfies(d -> assertThat(d.artifact().version()).isEqualTo("1.4.3"));
        say("prod-orders:live on version " + v143 + " (1.4.3) with all the traffic; promotion " + p143.id() + " "
                + promotions.promotion(p143.id()).status());

        System.out.println("---- branch -> environment walk (clock of the test) ----");
        timeline.forEach(System.out::println);
        assertThat(timeline).anyMatch(l -> l.contains("Rollout ROLLED_BACK"))
                .anyMatch(l -> l.contains("version 1 90%, version 2 10%"))
                .anyMatch(l -> l.contains("metric error-rate: FAIL"))
                .anyMatch(l -> l.contains("version 1 0%, version " + v143 + " 100%"));
    }
}
