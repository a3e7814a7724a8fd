package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.LambdaApiServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

class LambdaRouterTest {

    private static LambdaApiServer lambda;
    private static LambdaClient client;
    private static int functions;
    private String fn;

    @BeforeAll
    static void start() {
        lambda = LambdaApiServer.start();
        client = LambdaTesting.client(lambda);
    }

    @AfterAll
    static void stop() {
        client.close();
        lambda.close();
    }

    @BeforeEach
    void function() {
        fn = "prod-orders-" + (++functions);
        lambda.createFunction(fn, LambdaTesting.zip("v1"), "live");
        lambda.publishVersion(fn, LambdaTesting.zip("v2"));
    }

    private LambdaRouter router() {
        return LambdaRouter.forNewVersion("orders", client, fn, "live", "2");
    }

    private long aliasUpdates() {
        return lambda.calls().stream().filter(c -> c.method().equals("PUT") && c.path().contains("/aliases/")).count();
    }

    @Test
    void stableIsWhatTheAliasPointsAtAndTheSplitIsReadFromIt() {
        LambdaRouter r = router();
        assertThat(r.backends()).containsExactly("1", "2");
        assertThat(r.read().percent()).containsExactly(Map.entry("1", 100), Map.entry("2", 0));

        lambda.setAlias(fn, "live", "1", Map.of("2", 0.25));
        assertThat(r.read().percent()).containsExactly(Map.entry("1", 75), Map.entry("2", 25));
    }

    @Test
    void canaryStepsSetAdditionalVersionWeightsAndPromotionPointsTheAliasAtTheNewVersion() {
        LambdaRouter r = router();
        TrafficSplit ten = r.apply(TrafficSplit.of("1", "2", 10));
        assertThat(ten.percent()).containsExactly(Map.entry("1", 90), Map.entry("2", 10));
        assertThat(lambda.aliasVersion(fn, "live")).isEqualTo("1");
        assertThat(lambda.aliasWeights(fn, "live")).containsExactly(Map.entry("2", 0.1));
        assertThat(r.readWeight()).isEqualTo(0.1);

        r.apply(TrafficSplit.of("1", "2", 50));
        assertThat(lambda.aliasWeights(fn, "live")).containsExactly(Map.entry("2", 0.5));

        TrafficSplit full = r.apply(TrafficSplit.all("2", r.backends()));
        assertThat(full.percent()).containsExactly(Map.entry("1", 0), Map.entry("2", 100));
        assertThat(lambda.aliasVersion(fn, "live")).isEqualTo("2");
        assertThat(lambda.aliasWeights(fn, "live")).isEmpty();
        assertThat(r.readWeight()).isEqualTo(1.0);
    }

    @Test
    void rollbackPointsTheAliasBackAtTheStableVersionAndClearsTheWeights() {
        LambdaRouter r = router();
        r.applyWeight(0.3);
        TrafficSplit back = r.applyWeight(0.0);
        assertThat(back.percent()).containsExactly(Map.entry("1", 100), Map.entry("2", 0));
        assertThat(lambda.aliasVersion(fn, "live")).isEqualTo("1");
        assertThat(lambda.aliasWeights(fn, "live")).isEmpty();

        r.applyWeight(1.0);
        r.apply(TrafficSplit.all("1", r.backends()));
        assertThat(lambda.aliasVersion(fn, "live")).isEqualTo("1");
    }

    @Test
    void theInvokedVersionsFollowTheWeights() {
        LambdaRouter r = router();
        r.applyWeight(0.2);
        LambdaInvokeProbe probe = new LambdaInvokeProbe(client);
        int two = 0;
        for (int i = 0; i < 400; i++) {
            if (probe.invoke(fn, "live", "{}").executedVersion().equals("2")) {
                two++;
            }
        }
        assertThat(two).isBetween(50, 110); // 20% of 400 = 80, seeded routing
    }

    @Test
    void aWeightOutsideZeroToOneIsRefusedNamingTheFieldAndNothingIsSent() {
        LambdaRouter r = router();
        r.applyWeight(0.1);
        long before = aliasUpdates();
        for (double bad : new double[] {1.5, -0.1, Double.NaN, 100}) {
            assertThatThrownBy(() -> r.applyWeight(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("weight: " + bad + " is outside 0.0..1.0");
        }
        assertThatThrownBy(() -> r.apply(new TrafficSplit(Map.of("1", 50, "7", 50))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("split:");
        assertThatThrownBy(() -> TrafficSplit.of("1", "2", 150)).hasMessageStartingWith("split:");
        assertThat(aliasUpdates()).isEqualTo(before);
        assertThat(lambda.aliasWeights(fn, "live")).containsExactly(Map.entry("2", 0.1));
    }

    @Test
    void anAliasOrFunctionThatDoesNotExistIsNamed() {
        long before = aliasUpdates();
        assertThatThrownBy(() -> LambdaRouter.forNewVersion("orders", client, fn, "nope", "2"))
                .isInstanceOf(RouterException.class)
                .hasMessageStartingWith("alias: 'nope' does not exist on function '" + fn + "'")
                .hasMessageContaining("ResourceNotFoundException");
        assertThatThrownBy(() -> LambdaRouter.forNewVersion("orders", client, "staging-nothing", "live", "2"))
                .isInstanceOf(RouterException.class)
                .hasMessageStartingWith("function: 'staging-nothing' does not exist");
        assertThatThrownBy(() -> LambdaRouter.forNewVersion("orders", client, fn, "live", "$LATEST"))
                .hasMessageStartingWith("version: '$LATEST' is not a published version number");
        assertThatThrownBy(() -> LambdaRouter.forNewVersion("orders", client, fn, "123", "2")).hasMessageStartingWith("alias:");
        assertThatThrownBy(() -> LambdaRouter.forNewVersion("orders", client, "bad name", "live", "2")).hasMessageStartingWith("function:");
        assertThat(aliasUpdates()).isEqualTo(before);
    }

    @Test
    void aVersionThatDoesNotExistIsRefusedByLambdaAndTheAliasStaysAsItWas() {
        LambdaRouter r = LambdaRouter.forNewVersion("orders", client, fn, "live", "9");
        assertThatThrownBy(() -> r.applyWeight(0.1)).isInstanceOf(RouterException.class)
                .hasMessageContaining("ResourceNotFoundException: Function not found:")
                .hasMessageContaining(":9");
        assertThat(lambda.aliasVersion(fn, "live")).isEqualTo("1");
        assertThat(lambda.aliasWeights(fn, "live")).isEmpty();
    }

    @Test
    void anAliasChangedByHandIsReportedNotGuessedAtAndNotOverwritten() {
        LambdaRouter r = router();
        String three = lambda.publishVersion(fn, LambdaTesting.zip("v3"));
        lambda.setAlias(fn, "live", three, Map.of());
        long before = aliasUpdates();
        assertThatThrownBy(r::read).isInstanceOf(RouterException.class)
                .hasMessageContaining("points at version 3").hasMessageContaining("changed outside this rollout");
        assertThatThrownBy(() -> r.applyWeight(0.0)).isInstanceOf(RouterException.class);
        assertThat(aliasUpdates()).isEqualTo(before);
        assertThat(lambda.aliasVersion(fn, "live")).isEqualTo("3");
    }

    @Test
    void aChangeMadeBetweenReadAndUpdateIsRefusedByLambdaNotOverwritten() {
        LambdaRouter r = router();
        lambda.beforeNextAliasUpdate(() -> lambda.setAlias(fn, "live", "1", Map.of("2", 0.5)));
        assertThatThrownBy(() -> r.applyWeight(0.1)).isInstanceOf(RouterException.class)
                .hasMessageContaining("PreconditionFailedException")
                .satisfies(e -> assertThat(((RouterException) e).retryable()).isTrue());
        assertThat(lambda.aliasWeights(fn, "live")).containsExactly(Map.entry("2", 0.5));
        // trying again reads the new state and sets what was asked
        assertThat(r.applyWeight(0.1).of("2")).isEqualTo(10);
    }

    @Test
    void anotherRolloutInProgressOnTheAliasIsRefused() {
        String three = lambda.publishVersion(fn, LambdaTesting.zip("v3"));
        lambda.setAlias(fn, "live", "1", Map.of("2", 0.1));
        assertThatThrownBy(() -> LambdaRouter.forNewVersion("orders", client, fn, "live", three))
                .isInstanceOf(RouterException.class)
                .hasMessageStartingWith("alias: 'live' of '" + fn + "' already gives 10% to version 2");
        // the same rollout picks up where it was
        assertThat(router().read().of("2")).isEqualTo(10);
    }

    @Test
    void aVersionThatTakesAnyTrafficNeverReadsAsNone() {
        lambda.setAlias(fn, "live", "1", Map.of("2", 0.004));
        assertThat(router().read().of("2")).isEqualTo(1);
        lambda.setAlias(fn, "live", "1", Map.of("2", 0.996));
        assertThat(router().read().of("2")).isEqualTo(99);
        assertThat(LambdaRouter.percent(0.125)).isEqualTo(13);
        assertThat(LambdaRouter.percent(0.0)).isZero();
        assertThat(LambdaRouter.percent(1.0)).isEqualTo(100);
    }

    @Test
    void analiasAlreadyOnTheNewVersionHasNothingToRollOut() {
        lambda.setAlias(fn, "live", "2", Map.of());
        LambdaRouter r = router();
        assertThat(r.alreadyServesNewVersion()).isTrue();
        assertThat(r.backends()).containsExactly("2");
        assertThat(r.applyWeight(0.5).percent()).containsExactly(Map.entry("2", 100));
        assertThat(lambda.aliasWeights(fn, "live")).isEmpty();
    }

    @Test
    void healthComesFromEachVersionsConfiguration() {
        assertThat(router().health()).containsOnlyKeys("1", "2")
                .allSatisfy((v, h) -> assertThat(h.state()).isEqualTo(io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth.State.UP));
        assertThat(router().health().get("2").detail()).contains("State=Active", "LastUpdateStatus=Successful");
        assertThat(List.of(router().name())).containsExactly("orders");
    }
}
