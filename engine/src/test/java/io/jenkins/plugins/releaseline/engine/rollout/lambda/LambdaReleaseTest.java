package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlan;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.AnalysisContext;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSamples;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.LambdaApiServer;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** What a failure at each stage of one environment's release leaves behind: the alias as it was, the promotion failed. */
class LambdaReleaseTest {

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private Store store;
    private TestClock clock;
    private PromotionEngine promotions;
    private CanaryController canaries;
    private LambdaRelease release;
    private LambdaApiServer lambda;
    private LambdaClient client;
    private final byte[] zip = LambdaTesting.zip("orders 2.0.0");
    private final String digest = LambdaCodeDigest.of(zip).promoted();

    @BeforeEach
    void start() {
        store = StoreTarget.h2(dir).open("c1");
        clock = new TestClock(Instant.parse("2026-11-25T09:00:00Z"));
        AuditTrail audit = new AuditTrail(store, clock);
        promotions = new PromotionEngine(store, audit, clock, (e, j, p) -> FreezeCheck.Answer.clear());
        promotions.configure(EnvironmentOrder.of(List.of(Environment.first("integration"))), "admin");
        canaries = new CanaryController(store, audit, clock);
        release = new LambdaRelease(promotions, canaries, log::add);
        lambda = LambdaApiServer.start();
        lambda.updateDuration(Duration.ofMillis(100));
        client = LambdaTesting.client(lambda);
        lambda.createFunction("integration-orders", LambdaTesting.zip("orders 1.9.0"), "live");
    }

    @AfterEach
    void stop() {
        client.close();
        lambda.close();
        store.close();
    }

    private LambdaRelease.Request request(LambdaCode code, String strategy) {
        return new LambdaRelease.Request("integration", "integration-orders", "live", code, Artifact.of("orders", "2.0.0", digest),
                strategy, "{\"orderId\":\"probe\"}", "main", "orders/main", null, "ci");
    }

    private Promotion started(LambdaRelease.Request r) {
        Promotion p = release.request(r);
        assertThat(release.begin(p.id(), false, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);
        return p;
    }

    private LambdaDeployer deployer() {
        return new LambdaDeployer(client, Duration.ofSeconds(20), Duration.ofMillis(25));
    }

    @Test
    void aProbeThatFailsLeavesTheAliasAloneAndFailsThePromotion() {
        lambda.onCode(LambdaApiServer.codeSha256(zip), payload -> LambdaApiServer.Invocation.unhandled("Boom", "cannot start"));
        LambdaRelease.Request r = request(new LambdaCode.S3Object("builds", "o.zip", lambda.putS3Object("builds", "o.zip", zip)), "Canary10Percent5Minutes");
        Promotion p = started(r);
        assertThatThrownBy(() -> release.deploy(p, r, client, deployer(), "ci"))
                .isInstanceOf(LambdaDeployException.class).hasMessageStartingWith("probe: version 2 of integration-orders answered");
        assertThat(promotions.promotion(p.id()).status()).isEqualTo(PromotionStatus.FAILED);
        assertThat(promotions.promotion(p.id()).comment()).startsWith("probe: version 2");
        assertThat(lambda.aliasVersion("integration-orders", "live")).isEqualTo("1");
        assertThat(lambda.aliasWeights("integration-orders", "live")).isEmpty();
        assertThat(canaries.unfinished()).isEmpty();
        assertThat(promotions.locks()).isEmpty();
    }

    @Test
    void aMissingObjectVersionFailsThePromotionNamingTheField() {
        LambdaRelease.Request r = request(new LambdaCode.S3Object("builds", "o.zip", "no-such-version"), "AllAtOnce");
        lambda.putS3Object("builds", "o.zip", zip);
        Promotion p = started(r);
        assertThatThrownBy(() -> release.deploy(p, r, client, deployer(), "ci")).hasMessageStartingWith("s3.version:");
        assertThat(promotions.promotion(p.id()).status()).isEqualTo(PromotionStatus.FAILED);
        assertThat(lambda.versions("integration-orders")).containsExactly("1");
    }

    @Test
    void anUnknownStrategyIsRefusedBeforeAnythingIsRecorded() {
        assertThatThrownBy(() -> request(new LambdaCode.S3Object("builds", "o.zip", "v1"), "Canary10Percent5Minute5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("strategy: 'Canary10Percent5Minute5' is neither a CodeDeploy name");
        assertThatThrownBy(() -> request(new LambdaCode.S3Object("builds", "o.zip", "v1"), " "))
                .hasMessageStartingWith("strategy: must be given");
        assertThat(promotions.current().get("integration")).isEmpty();
    }

    @Test
    void theSameShorthandsDriveAnyRouter() {
        for (String name : List.of("Canary10Percent5Minutes", "Canary10Percent10Minutes", "Canary10Percent15Minutes",
                "Canary10Percent30Minutes", "Linear10PercentEvery1Minute", "Linear10PercentEvery2Minutes",
                "Linear10PercentEvery3Minutes", "Linear10PercentEvery10Minutes", "AllAtOnce")) {
            CanaryPlan plan = request(new LambdaCode.S3Object("builds", "o.zip", "v1"), name).plan();
            assertThat(plan.steps().get(plan.steps().size() - 1).weight()).as(name).isEqualTo(100);
        }
        assertThat(CanaryPlan.parse("Linear10PercentEvery2Minutes").stepsText()).startsWith("10%/2m, 20%/2m");
    }

    @Test
    void aLinearRolloutWalksTheAliasInTenPercentStepsWithInvokeAnalysis() throws Exception {
        LambdaRelease.Request r = request(new LambdaCode.S3Object("builds", "o.zip", lambda.putS3Object("builds", "o.zip", zip)),
                "+25% every 1m up to 100%");
        Promotion p = started(r);
        LambdaRelease.Rollout ro = release.deploy(p, r, client, deployer(), "ci");
        CanaryAnalysis analysis = new CanaryAnalysis(List.of(LambdaInvokeSource.errorsMetric("{}", 20)),
                List.of(new LambdaInvokeSource(new LambdaInvokeProbe(client), "integration-orders", 20)), CanaryJudge.defaults());
        List<Double> weights = new ArrayList<>();
        CanaryRollout state = release.advance(ro, client, analysis, "ci");
        while (!state.state().terminal()) {
            weights.add(lambda.aliasWeights("integration-orders", "live").getOrDefault("2", 0.0));
            clock.set(state.wakeAt());
            state = release.advance(ro, client, analysis, "ci");
        }
        assertThat(weights).containsExactly(0.25, 0.5, 0.75);
        assertThat(state.state()).isEqualTo(CanaryState.SUCCEEDED);
        assertThat(lambda.aliasVersion("integration-orders", "live")).isEqualTo("2");
        assertThat(lambda.invocations("integration-orders", "2")).isEqualTo(1 + 3 * 20);
        assertThat(promotions.promotion(p.id()).status()).isEqualTo(PromotionStatus.DEPLOYED);
        // advancing an ended rollout again (a step resumed after a restart) records nothing twice
        assertThat(release.advance(ro, client, analysis, "ci").state()).isEqualTo(CanaryState.SUCCEEDED);
        assertThat(promotions.entries(p.id())).filteredOn(e -> e.kind() == io.jenkins.plugins.releaseline.engine.promotion.LedgerKind.DEPLOYED).hasSize(1);
        assertThat(log).contains("Alias live now: version 1 75%, version 2 25%", "Alias live now: version 1 0%, version 2 100%")
                .anyMatch(l -> l.startsWith("  metric invoke-errors: PASS"));
    }

    @Test
    void theInvokeSourceCountsFunctionErrorsPerInvocation() {
        lambda.publishVersion("integration-orders", zip);
        lambda.onVersion("integration-orders", "2", LambdaApiServer.failing(0.5, 7));
        LambdaInvokeSource source = new LambdaInvokeSource(new LambdaInvokeProbe(client), "integration-orders", 40);
        MetricSamples s = source.measure(CanaryMetric.of("errors", LambdaInvokeSource.ID, "{}",
                io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction.LOWER_IS_BETTER),
                new AnalysisContext("2", "1", clock.instant().minusSeconds(60), clock.instant()));
        assertThat(s.canary()).hasSize(40).containsOnly(0.0, 1.0).contains(1.0);
        assertThat(s.baseline()).hasSize(40).containsOnly(0.0);
        assertThat(lambda.errors("integration-orders", "2")).isEqualTo((long) java.util.Arrays.stream(s.canary()).sum());
        assertThatThrownBy(() -> new LambdaInvokeSource(new LambdaInvokeProbe(client), "integration-orders", 0))
                .hasMessageStartingWith("invocations:");
    }
}
