package io.jenkins.plugins.releaseline.engine.rollout.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The ALB router through the real AWS SDK against a loopback ELBv2 Query endpoint (not against AWS itself). */
class AlbRouterTest {

    static final String BLUE_TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/73e2d6bc24d8a067";
    static final String GREEN_TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/2453ed029918f21f";

    ElbV2QueryEndpoint elb;

    @BeforeEach
    void start() throws Exception {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put(BLUE_TG, 100);
        w.put(GREEN_TG, 0);
        elb = new ElbV2QueryEndpoint(w);
    }

    @AfterEach
    void stop() {
        elb.close();
    }

    AlbRouter router(boolean rule, RetryPolicy retry) {
        Map<String, String> tgs = new LinkedHashMap<>();
        tgs.put("blue", BLUE_TG);
        tgs.put("green", GREEN_TG);
        return new AlbRouter("alb-prod", new AlbRouter.Settings("eu-west-1", elb.uri(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")),
                rule ? null : elb.listenerArn, rule ? elb.ruleArn : null, tgs, Duration.ofSeconds(5)), retry);
    }

    @Test
    void movesWeightsOnTheListenersDefaultForwardAction() {
        try (AlbRouter r = router(false, RetryPolicy.DEFAULT)) {
            assertThat(r.read()).isEqualTo(TrafficSplit.all("blue", r.backends()));
            TrafficSplit after = r.apply(TrafficSplit.of("blue", "green", 10));
            assertThat(after.percent()).containsExactly(Map.entry("blue", 90), Map.entry("green", 10));
            assertThat(elb.listenerWeights).containsExactly(Map.entry(BLUE_TG, 90), Map.entry(GREEN_TG, 10));
            r.apply(TrafficSplit.all("green", r.backends()));
            assertThat(elb.listenerWeights).containsEntry(GREEN_TG, 100).containsEntry(BLUE_TG, 0);
            assertThat(elb.ruleWeights).as("the rule is not touched").containsEntry(BLUE_TG, 100);
            Map<String, String> modify = elb.requests.stream().filter(f -> "ModifyListener".equals(f.get("Action"))).findFirst().orElseThrow();
            assertThat(modify).containsEntry("DefaultActions.member.1.Type", "forward")
                    .containsEntry("DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn", GREEN_TG)
                    .containsEntry("Version", "2015-12-01");
            assertThat(modify.get("_authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/eu-west-1/elasticloadbalancing/");
        }
    }

    @Test
    void movesWeightsOnARule() {
        try (AlbRouter r = router(true, RetryPolicy.DEFAULT)) {
            r.apply(TrafficSplit.all("green", r.backends()));
            assertThat(elb.ruleWeights).containsEntry(GREEN_TG, 100).containsEntry(BLUE_TG, 0);
            assertThat(elb.listenerWeights).containsEntry(BLUE_TG, 100);
            assertThat(r.read().of("green")).isEqualTo(100);
        }
    }

    @Test
    void healthComesFromTheTargetGroups() {
        elb.targetStates.put(GREEN_TG, List.of("unhealthy", "unhealthy"));
        try (AlbRouter r = router(false, RetryPolicy.DEFAULT)) {
            assertThat(r.health().get("blue").state()).isEqualTo(BackendHealth.State.UP);
            assertThat(r.health().get("green").state()).isEqualTo(BackendHealth.State.DOWN);
            assertThat(r.health().get("green").detail()).contains("unhealthy=2");
        }
    }

    @Test
    void aServerErrorIsRetriedAClientErrorIsNot() {
        try (AlbRouter r = router(false, new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)))) {
            elb.failNextWith = 503;
            assertThat(r.read().of("blue")).isEqualTo(100);
            elb.failNextWith = 400;
            assertThatThrownBy(r::read).isInstanceOf(RouterException.class).hasMessageContaining("ValidationError")
                    .hasMessageContaining("injected failure 400");
        }
    }

    @Test
    void anUnknownListenerIsReportedInAwsWords() {
        Map<String, String> tgs = Map.of("blue", BLUE_TG, "green", GREEN_TG);
        try (AlbRouter r = new AlbRouter("alb-prod", new AlbRouter.Settings("eu-west-1", elb.uri(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
                elb.listenerArn + "x", null, tgs, Duration.ofSeconds(5)), RetryPolicy.NONE)) {
            assertThatThrownBy(r::read).isInstanceOf(RouterException.class).hasMessageContaining("ListenerNotFound");
        }
    }

    @Test
    void anUnreachableEndpointFailsAsRetryable() {
        AlbRouter r = router(false, new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20)));
        elb.close();
        assertThatThrownBy(r::read).isInstanceOf(RouterException.class).hasMessageContaining("unreachable")
                .satisfies(e -> assertThat(((RouterException) e).retryable()).isTrue());
        r.close();
    }

    @Test
    void settingsAreCheckedByField() {
        assertThatThrownBy(() -> new AlbRouter.Settings("eu-west-1", null, null, "arn:x", "arn:y", Map.of("a", "arn:1", "b", "arn:2"), null))
                .hasMessageStartingWith("listenerArn/ruleArn:");
        assertThatThrownBy(() -> new AlbRouter.Settings("EU WEST", null, null, "arn:x", null, Map.of("a", "arn:1", "b", "arn:2"), null))
                .hasMessageStartingWith("region:");
        assertThatThrownBy(() -> new AlbRouter.Settings("eu-west-1", null, null, "arn:x", null, Map.of("a", "tg-1", "b", "arn:2"), null))
                .hasMessageStartingWith("backends:");
    }
}
