package io.jenkins.plugins.releaseline.engine.rollout.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanaryPlanTest {

    private static List<String> steps(CanaryPlan plan) {
        return plan.steps().stream().map(CanaryStep::toString).toList();
    }

    @Test
    void readsTheLongAndTheCompactForm() {
        assertThat(steps(CanaryPlan.parse("10% for 5m, 25% for 10m, 50% for 10m, 100%")))
                .containsExactly("10%/5m", "25%/10m", "50%/10m", "100%");
        assertThat(steps(CanaryPlan.parse("10%/5m, 50%/10m, 100%"))).containsExactly("10%/5m", "50%/10m", "100%");
        assertThat(steps(CanaryPlan.parse("10%/5s,50%/1m30s"))).containsExactly("10%/5s", "50%/1m30s", "100%");
        assertThat(CanaryPlan.parse("5%/500ms").steps().get(0).pause()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aRateExpandsIntoEqualStepsAndThenAllTraffic() {
        assertThat(steps(CanaryPlan.parse("+10% every 2m up to 50%")))
                .containsExactly("10%/2m", "20%/2m", "30%/2m", "40%/2m", "50%/2m", "100%");
        assertThat(steps(CanaryPlan.parse("+20% every 1m up to 50%")))
                .containsExactly("20%/1m", "40%/1m", "50%/1m", "100%");
        assertThat(steps(CanaryPlan.parse("5%/1m, +15% every 30s up to 50%, 100%")))
                .containsExactly("5%/1m", "20%/30s", "35%/30s", "50%/30s", "100%");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Canary10Percent5Minutes|10%/5m, 100%",
            "Canary10Percent10Minutes|10%/10m, 100%",
            "Canary10Percent15Minutes|10%/15m, 100%",
            "Canary10Percent30Minutes|10%/30m, 100%",
            "CodeDeployDefault.LambdaCanary10Percent5Minutes|10%/5m, 100%",
            "Linear10PercentEvery1Minute|10%/1m, 20%/1m, 30%/1m, 40%/1m, 50%/1m, 60%/1m, 70%/1m, 80%/1m, 90%/1m, 100%",
            "Linear10PercentEvery2Minutes|10%/2m, 20%/2m, 30%/2m, 40%/2m, 50%/2m, 60%/2m, 70%/2m, 80%/2m, 90%/2m, 100%",
            "Linear10PercentEvery3Minutes|10%/3m, 20%/3m, 30%/3m, 40%/3m, 50%/3m, 60%/3m, 70%/3m, 80%/3m, 90%/3m, 100%",
            "Linear10PercentEvery10Minutes|10%/10m, 20%/10m, 30%/10m, 40%/10m, 50%/10m, 60%/10m, 70%/10m, 80%/10m, 90%/10m, 100%",
            "AllAtOnce|100%"})
    void acceptsTheCodeDeployNames(String name, String expected) {
        assertThat(CanaryPlan.parse(name).stepsText()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10%/5m, 50%/10m, 150%|plan: step 3: weight 150 is over 100",
            "10%/5m, 0%/1m|plan: step 2: weight 0 must be at least 1",
            "10%/5m, 50%|plan: step 2: weight 50% needs a pause to analyse",
            "10%/5m, 100%, 50%/1m|plan: step 3: comes after 100%",
            "100% for 5m|plan: step 1: 100% ends the rollout and takes no pause",
            "10%/5x|plan: step 1: '5x' is not a duration",
            "10%/5m,,100%|plan: step 2: is empty",
            "ten percent|plan: step 1: 'ten percent' is not understood",
            "10%/5m, +10% every 1m up to 5%|plan: step 2: up to 5% is not above the previous step's 10%",
            "+10% every 1m up to 120%|plan: step 1: weight 120 is over 100",
            "10%/0s|plan: step 1: pause '0s' is zero",
            "10%/8d|plan: step 1: '8d' is not a duration"})
    void errorsPointAtTheBadPart(String text, String message) {
        assertThatThrownBy(() -> CanaryPlan.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void readsTheStructuredFormAPipelinePasses() {
        List<Map<String, Object>> entries = List.of(
                Map.of("weight", 10, "pause", "5m"),
                Map.of("weight", "25%", "pause", 30),
                Map.of("rate", 25, "every", "1m", "upTo", 75),
                Map.of("weight", 100));
        assertThat(steps(CanaryPlan.fromStructured(entries)))
                .containsExactly("10%/5m", "25%/30s", "50%/1m", "75%/1m", "100%");
    }

    @Test
    void structuredErrorsPointAtTheBadStep() {
        assertThatThrownBy(() -> CanaryPlan.fromStructured(List.of(Map.of("weight", 10, "pause", "1m"),
                Map.of("weight", 20, "pause", "1m"), Map.of("weight", 150, "pause", "1m"))))
                .hasMessage("plan: step 3: weight 150 is over 100");
        assertThatThrownBy(() -> CanaryPlan.fromStructured(List.of(Map.of("weight", 10, "pase", "1m"))))
                .hasMessageStartingWith("plan: step 1: unknown key 'pase'");
        assertThatThrownBy(() -> CanaryPlan.fromStructured(List.of(Map.of("weight", 10.5, "pause", "1m"))))
                .hasMessageStartingWith("plan: step 1: weight 10.5 must be a whole number");
        assertThatThrownBy(() -> CanaryPlan.fromStructured(List.of(Map.of("rate", 10, "every", "1m"))))
                .hasMessageStartingWith("plan: step 1: a rate needs 'every'");
        assertThatThrownBy(() -> CanaryPlan.fromStructured(List.of(Map.of("pause", "1m"))))
                .hasMessageStartingWith("plan: step 1: has no weight");
        assertThatThrownBy(() -> CanaryPlan.fromStructured(List.of()))
                .hasMessageStartingWith("plan: has no steps");
    }

    @Test
    void analysisSettingsAreCheckedWithTheirNames() {
        CanaryPlan plan = CanaryPlan.parse("10%/5s");
        assertThat(plan.maxFailedAnalyses()).isEqualTo(1);
        assertThat(plan.onInconclusive()).isEqualTo(CanaryPlan.OnInconclusive.ROLLBACK);
        assertThatThrownBy(() -> plan.withMaxFailedAnalyses(0)).hasMessageStartingWith("maxFailedAnalyses: 0");
        assertThatThrownBy(() -> plan.withAnalysisDeadline(Duration.ZERO)).hasMessageStartingWith("analysisDeadline: ");
        assertThatThrownBy(() -> plan.withInconclusiveRetries(-1, Duration.ofSeconds(1))).hasMessageStartingWith("inconclusiveRetries: ");
    }

    /** Any valid plan written back as text reads back to the same steps. */
    @Test
    void randomPlansRoundTripThroughTheirText() {
        Random random = new Random(20261125L);
        for (int trial = 0; trial < 500; trial++) {
            List<Map<String, Object>> entries = new ArrayList<>();
            int weight = 0;
            int n = 1 + random.nextInt(8);
            for (int i = 0; i < n && weight < 99; i++) {
                weight += 1 + random.nextInt(Math.max(1, (99 - weight) / 2));
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("weight", weight);
                e.put("pause", (1 + random.nextInt(3600)) + "s");
                entries.add(e);
            }
            CanaryPlan structured = CanaryPlan.fromStructured(entries);
            assertThat(CanaryPlan.parse(structured.stepsText()).steps()).isEqualTo(structured.steps());
            assertThat(structured.steps().get(structured.steps().size() - 1).weight()).isEqualTo(100);
        }
    }
}
