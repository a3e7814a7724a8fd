package io.jenkins.plugins.releaseline.engine.rollout.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricResult;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The canary state machine against a store (H2 and PostgreSQL subclasses), an in-memory router and scripted metrics. */
abstract class CanaryControllerContract {

    static final CanaryMetric ERRORS = CanaryMetric.of("error-rate", "scripted", "errors", Direction.LOWER_IS_BETTER);

    abstract StoreTarget newTarget();

    StoreTarget target;
    Store store;
    TestClock clock;
    CanaryController controller;
    CanaryMemoryRouter router;

    @BeforeEach
    void open() {
        target = newTarget();
        store = target.open("c1");
        clock = new TestClock(Instant.parse("2026-11-25T03:00:00Z"));
        controller = new CanaryController(store, new AuditTrail(store, clock), clock);
        router = new CanaryMemoryRouter("prod-lb", "stable", "canary");
    }

    @AfterEach
    void close() {
        store.close();
    }

    static CanaryAnalysis analysis(CanaryScriptedSource source) {
        return new CanaryAnalysis(List.of(ERRORS), List.of(source), CanaryJudge.defaults());
    }

    CanaryRollout start(String plan) {
        return controller.start("alice", CanarySpec.of("app#1", "prod-lb", "stable", "canary", CanaryPlan.parse(plan)));
    }

    CanaryRollout start(CanaryPlan plan) {
        return controller.start("alice", CanarySpec.of("app#1", "prod-lb", "stable", "canary", plan));
    }

    List<CanaryEvent.Kind> kinds() {
        return controller.events("app#1").stream().map(CanaryEvent::kind).toList();
    }

    @Test
    void aGoodCanaryWalksEveryStepToAllTraffic() {
        CanaryScriptedSource source = new CanaryScriptedSource("good");
        start("10%/5s, 50%/10s, 100%");
        CanaryRollout r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.WAITING);
        assertThat(router.canaryWeight()).isEqualTo(10);
        assertThat(r.wakeAt()).isEqualTo(clock.instant().plusSeconds(5));

        clock.advance(Duration.ofSeconds(4));
        assertThat(controller.advance("app#1", router, analysis(source)).stepIndex()).as("nothing before the pause ends").isZero();
        assertThat(source.contexts).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        r = controller.advance("app#1", router, analysis(source));
        assertThat(r.stepIndex()).isEqualTo(1);
        assertThat(router.canaryWeight()).isEqualTo(50);
        assertThat(source.contexts.get(0).window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(source.contexts.get(0).canaryLabel()).isEqualTo("canary");
        assertThat(source.contexts.get(0).baselineLabel()).isEqualTo("stable");

        clock.advance(Duration.ofSeconds(10));
        r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.SUCCEEDED);
        assertThat(router.canaryWeight()).isEqualTo(100);
        assertThat(router.applied).extracting(s -> s.of("canary")).containsExactly(10, 50, 100);
        assertThat(kinds()).containsExactly(CanaryEvent.Kind.STARTED, CanaryEvent.Kind.WEIGHT_SET, CanaryEvent.Kind.ANALYSIS,
                CanaryEvent.Kind.WEIGHT_SET, CanaryEvent.Kind.ANALYSIS, CanaryEvent.Kind.SUCCEEDED);
        CanaryEvent analysisEvent = controller.events("app#1").get(2);
        assertThat(analysisEvent.verdict()).isEqualTo("PASS");
        assertThat(analysisEvent.score()).isEqualTo(100);
        List<MetricResult> metrics = CanaryController.metricsOf(analysisEvent);
        assertThat(metrics).extracting(MetricResult::metric).containsExactly("error-rate");
        assertThat(metrics.get(0).canaryCount()).isEqualTo(500);
        AuditTrail trail = new AuditTrail(store, clock);
        assertThat(trail.verify().intact()).isTrue();
        assertThat(trail.recent(io.jenkins.plugins.releaseline.engine.audit.AuditScope.of(
                io.jenkins.plugins.releaseline.engine.audit.AuditScope.Kind.ROLLOUT, "canary/app#1"), false, 10))
                .extracting(io.jenkins.plugins.releaseline.engine.audit.AuditRecord::action)
                .contains("canary.start", "canary.succeed");
    }

    @Test
    void aFailedAnalysisRollsBackToZeroAndNamesTheMetric() {
        CanaryScriptedSource source = new CanaryScriptedSource("bad");
        start("10%/5s, 50%/10s, 100%");
        controller.advance("app#1", router, analysis(source));
        clock.advance(Duration.ofSeconds(5));
        CanaryRollout r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.ROLLED_BACK);
        assertThat(router.canaryWeight()).isZero();
        assertThat(router.stableWeight()).isEqualTo(100);
        assertThat(r.reason()).startsWith("rolled back: analysis at step 1 (10%) FAIL").contains("error-rate FAIL");
        assertThat(kinds()).endsWith(CanaryEvent.Kind.ANALYSIS, CanaryEvent.Kind.ROLLED_BACK);
        assertThat(controller.events("app#1").get(2).verdict()).isEqualTo("FAIL");

        CanaryTimeline timeline = CanaryTimeline.of(r, controller.events("app#1"));
        assertThat(timeline.steps()).extracting(CanaryTimeline.StepView::status).containsExactly("rolled back", "to come", "to come");
        assertThat(timeline.weights()).extracting(CanaryTimeline.WeightPoint::weight).containsExactly(0, 10, 0);
        assertThat(timeline.analyses()).hasSize(1);
        assertThat(timeline.analyses().get(0).verdict()).isEqualTo("FAIL");
        assertThat(timeline.analyses().get(0).weight()).isEqualTo(10);
        assertThat(timeline.analyses().get(0).metrics()).extracting(MetricResult::metric).containsExactly("error-rate");
        assertThat(timeline.toJson()).contains("\"state\":\"ROLLED_BACK\"").contains("\"verdict\":\"FAIL\"")
                .contains("\"metric\":\"error-rate\"");
    }

    @Test
    void failuresUpToTheMaximumAreAnalysedAgainBeforeRollingBack() {
        CanaryScriptedSource source = new CanaryScriptedSource("bad", "good", "bad", "bad");
        start(CanaryPlan.parse("10%/5s, 100%").withMaxFailedAnalyses(2));
        controller.advance("app#1", router, analysis(source));
        clock.advance(Duration.ofSeconds(5));
        CanaryRollout r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.WAITING);
        assertThat(r.failedAnalyses()).isEqualTo(1);
        assertThat(r.reason()).contains("failed analysis 1 of 2 allowed");
        assertThat(router.canaryWeight()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(5));
        r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).as("a pass does not clear earlier failures, it moves on").isEqualTo(CanaryState.SUCCEEDED);

        // second rollout on the same router, now free
        CanaryScriptedSource bad = new CanaryScriptedSource("bad");
        controller.start("alice", CanarySpec.of("app#2", "prod-lb", "stable", "canary", CanaryPlan.parse("10%/5s").withMaxFailedAnalyses(2)));
        controller.advance("app#2", router, analysis(bad));
        clock.advance(Duration.ofSeconds(5));
        controller.advance("app#2", router, analysis(bad));
        clock.advance(Duration.ofSeconds(5));
        assertThat(controller.advance("app#2", router, analysis(bad)).state()).isEqualTo(CanaryState.ROLLED_BACK);
        assertThat(router.canaryWeight()).isZero();
    }

    @Test
    void metricsSourceDownIsRetriedThenRolledBackNeverPromoted() {
        CanaryScriptedSource source = new CanaryScriptedSource("down");
        start(CanaryPlan.parse("10%/5s, 100%").withInconclusiveRetries(2, Duration.ofSeconds(3)));
        controller.advance("app#1", router, analysis(source));
        clock.advance(Duration.ofSeconds(5));
        CanaryRollout r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.WAITING);
        assertThat(r.inconclusive()).isEqualTo(1);
        assertThat(r.reason()).contains("INCONCLUSIVE").contains("unreachable").contains("retry 1 of 2 in 3s");
        clock.advance(Duration.ofSeconds(3));
        controller.advance("app#1", router, analysis(source));
        clock.advance(Duration.ofSeconds(3));
        r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.ROLLED_BACK);
        assertThat(r.reason()).contains("no judgement after 3 analyses");
        assertThat(router.applied).extracting(s -> s.of("canary")).containsExactly(10, 0);
        assertThat(source.contexts).hasSize(3);
        assertThat(source.contexts.get(2).start()).as("retries widen the window").isEqualTo(source.contexts.get(0).start());
    }

    @Test
    void inconclusiveCanPauseInsteadAndThePauseAbortsWhenNobodyResumes() {
        CanaryScriptedSource source = new CanaryScriptedSource("empty");
        start(CanaryPlan.parse("10%/5s, 100%").withInconclusiveRetries(0, Duration.ofSeconds(1))
                .withOnInconclusive(CanaryPlan.OnInconclusive.PAUSE).withAnalysisDeadline(Duration.ofMinutes(2)));
        controller.advance("app#1", router, analysis(source));
        clock.advance(Duration.ofSeconds(5));
        CanaryRollout r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.PAUSED);
        assertThat(r.reason()).startsWith("paused: no judgement after 1 analyses").endsWith("resume within 2m or the rollout aborts");
        assertThat(r.pauseExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
        assertThat(router.canaryWeight()).as("held at its weight").isEqualTo(10);
        clock.advance(Duration.ofSeconds(119));
        assertThat(controller.advance("app#1", router, analysis(source)).state()).isEqualTo(CanaryState.PAUSED);
        clock.advance(Duration.ofSeconds(1));
        r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.ABORTED);
        assertThat(r.reason()).startsWith("paused by the analysis deadline and not resumed within 2m: aborted");
        assertThat(router.canaryWeight()).isZero();
    }

    @Test
    void anAnalysisThatNeverJudgesHitsItsDeadlineAndSaysSo() {
        CanaryScriptedSource source = new CanaryScriptedSource("down");
        start(CanaryPlan.parse("10%/5s, 100%").withInconclusiveRetries(100, Duration.ofSeconds(20))
                .withAnalysisDeadline(Duration.ofMinutes(1)));
        controller.advance("app#1", router, analysis(source));
        CanaryRollout r = null;
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(20));
            r = controller.advance("app#1", router, analysis(source));
            if (r.state() == CanaryState.PAUSED) {
                break;
            }
        }
        assertThat(r.state()).isEqualTo(CanaryState.PAUSED);
        assertThat(r.reason()).startsWith("paused: no judgement within the analysis deadline of 1m");
        assertThat(source.contexts.size()).isBetween(3, 4);
        // A person resumes: the analysis starts afresh, with a fresh deadline.
        CanaryScriptedSource recovered = new CanaryScriptedSource("good");
        r = controller.unpause("app#1", "bob", "Prometheus is back");
        assertThat(r.state()).isEqualTo(CanaryState.WAITING);
        assertThat(r.inconclusive()).isZero();
        r = controller.advance("app#1", router, analysis(recovered));
        assertThat(r.state()).isEqualTo(CanaryState.SUCCEEDED);
    }

    @Test
    void aRouterFailingDuringRollbackIsRetriedAndReported() {
        CanaryScriptedSource source = new CanaryScriptedSource("bad");
        start("10%/5s, 100%");
        controller.advance("app#1", router, analysis(source));
        clock.advance(Duration.ofSeconds(5));
        router.failNextApplies.set(3);
        CanaryRollout r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.ROLLING_BACK);
        assertThat(r.routerFailures()).isEqualTo(1);
        assertThat(r.reason()).contains("error-rate").contains("moving traffic back to stable failed 1 time(s)")
                .contains("refused the change (injected)");
        assertThat(router.canaryWeight()).isEqualTo(10);
        for (int i = 0; i < 5 && r.state() == CanaryState.ROLLING_BACK; i++) {
            clock.advance(Duration.ofSeconds(5));
            r = controller.advance("app#1", router, analysis(source));
        }
        assertThat(r.state()).isEqualTo(CanaryState.ROLLED_BACK);
        assertThat(router.canaryWeight()).isZero();
        assertThat(kinds().stream().filter(k -> k == CanaryEvent.Kind.ROUTER_FAILED).count()).isEqualTo(3);
        assertThat(controller.events("app#1").stream().filter(e -> e.kind() == CanaryEvent.Kind.ROUTER_FAILED).findFirst()
                .orElseThrow().message()).startsWith("router failed to set 0% (attempt 1)");
    }

    @Test
    void aRouterThatCannotSetAStepRollsBack() {
        start("10%/5s, 100%");
        router.failNextApplies.set(1);
        CanaryRollout r = controller.advance("app#1", router, analysis(new CanaryScriptedSource("good")));
        assertThat(r.state()).isEqualTo(CanaryState.ROLLED_BACK);
        assertThat(r.reason()).contains("failed to set the canary to 10%");
    }

    @Test
    void pauseHoldsResumeContinuesPromoteTakesAllTraffic() {
        CanaryScriptedSource source = new CanaryScriptedSource("good");
        start("10%/5s, 50%/5s, 100%");
        controller.advance("app#1", router, analysis(source));
        CanaryRollout r = controller.pause("app#1", "bob", "looking at the dashboards");
        assertThat(r.state()).isEqualTo(CanaryState.PAUSED);
        assertThat(r.pauseExpiresAt()).as("a person's pause does not expire").isNull();
        clock.advance(Duration.ofMinutes(30));
        assertThat(controller.advance("app#1", router, analysis(source)).state()).isEqualTo(CanaryState.PAUSED);
        assertThat(source.contexts).isEmpty();
        assertThatThrownBy(() -> controller.unpause("app#1", " ", null)).hasMessageStartingWith("principal:");
        r = controller.unpause("app#1", "bob", null);
        r = controller.advance("app#1", router, analysis(source));
        assertThat(r.stepIndex()).isEqualTo(1);
        assertThat(router.canaryWeight()).isEqualTo(50);
        controller.promote("app#1", "carol", "urgent fix");
        r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.SUCCEEDED);
        assertThat(router.canaryWeight()).isEqualTo(100);
        assertThat(kinds()).contains(CanaryEvent.Kind.PAUSED, CanaryEvent.Kind.RESUMED, CanaryEvent.Kind.PROMOTE_REQUESTED);
        assertThatThrownBy(() -> controller.pause("app#1", "bob", null)).hasMessageContaining("is SUCCEEDED");
        assertThatThrownBy(() -> controller.abort("app#1", "bob", null, router)).hasMessageContaining("already taken 100%");
    }

    @Test
    void abortMovesTrafficBackToStableAtOnceAndLeavesStableRunning() {
        start("10%/5s, 50%/5s, 100%");
        controller.advance("app#1", router, analysis(new CanaryScriptedSource("good")));
        CanaryRollout r = controller.abort("app#1", "bob", "customer complaints", router);
        assertThat(r.state()).isEqualTo(CanaryState.ABORTED);
        assertThat(r.reason()).startsWith("aborted by bob: customer complaints");
        assertThat(router.canaryWeight()).isZero();
        assertThat(router.stableWeight()).isEqualTo(100);
        assertThat(router.applied).extracting(s -> s.of("stable")).containsExactly(90, 100);
        assertThat(controller.abort("app#1", "bob", "again", router).state()).isEqualTo(CanaryState.ABORTED);
    }

    @Test
    void anAbortDuringAnAnalysisWinsOverItsVerdict() {
        CanaryScriptedSource source = new CanaryScriptedSource("good");
        start("10%/5s, 50%/5s, 100%");
        controller.advance("app#1", router, analysis(source));
        clock.advance(Duration.ofSeconds(5));
        source.duringMeasure = () -> controller.abort("app#1", "bob", "stop", router);
        CanaryRollout r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.ABORTED);
        assertThat(router.canaryWeight()).isZero();
        assertThat(router.applied).extracting(s -> s.of("canary")).containsExactly(10, 0);
        CanaryEvent discarded = controller.events("app#1").stream().filter(e -> e.kind() == CanaryEvent.Kind.ANALYSIS_DISCARDED)
                .findFirst().orElseThrow();
        assertThat(discarded.message()).isEqualTo("analysis finished while the rollout was ABORTED; its verdict PASS was not acted on");
    }

    @Test
    void aRestartDuringAPauseKeepsThePauseAndItsDeadline() {
        CanaryScriptedSource source = new CanaryScriptedSource("empty");
        start(CanaryPlan.parse("10%/5s, 100%").withInconclusiveRetries(0, Duration.ofSeconds(1))
                .withOnInconclusive(CanaryPlan.OnInconclusive.PAUSE).withAnalysisDeadline(Duration.ofMinutes(5)));
        controller.advance("app#1", router, analysis(source));
        clock.advance(Duration.ofSeconds(5));
        controller.advance("app#1", router, analysis(source));
        store.close();

        store = target.open("c1");
        controller = new CanaryController(store, new AuditTrail(store, clock), clock);
        assertThat(controller.unfinished()).containsExactly("app#1");
        router.restart();
        CanaryRollout r = controller.resume("app#1", router);
        assertThat(r.state()).isEqualTo(CanaryState.PAUSED);
        assertThat(router.canaryWeight()).as("the paused weight is set again on the restarted router").isEqualTo(10);
        clock.advance(Duration.ofMinutes(5));
        r = controller.advance("app#1", router, analysis(source));
        assertThat(r.state()).isEqualTo(CanaryState.ABORTED);
        assertThat(router.canaryWeight()).isZero();
    }

    @Test
    void resumeAfterACrashContinuesFromTheStoredStateAndTheRoutersRealWeights() {
        CanaryScriptedSource source = new CanaryScriptedSource("good");
        start("10%/5s, 50%/20s, 100%");
        controller.advance("app#1", router, analysis(source));
        clock.advance(Duration.ofSeconds(5));
        controller.advance("app#1", router, analysis(source));
        assertThat(router.canaryWeight()).isEqualTo(50);
        store.close();

        // The controller dies; the router keeps its weights: the step's wait continues where it was.
        clock.advance(Duration.ofSeconds(10));
        store = target.open("c1");
        controller = new CanaryController(store, new AuditTrail(store, clock), clock);
        CanaryRollout r = controller.resume("app#1", router);
        assertThat(r.state()).isEqualTo(CanaryState.WAITING);
        assertThat(r.wakeAt()).isEqualTo(clock.instant().plusSeconds(10));
        assertThat(controller.events("app#1").get(controller.events("app#1").size() - 1).message())
                .isEqualTo("resumed in WAITING at step 2; router reports the canary at 50%, intended 50%");

        // Now the router restarted too and lost the weights: the step is set again and its wait starts over.
        router.restart();
        r = controller.resume("app#1", router);
        assertThat(r.state()).isEqualTo(CanaryState.SETTING_WEIGHT);
        r = controller.advance("app#1", router, analysis(source));
        assertThat(router.canaryWeight()).isEqualTo(50);
        assertThat(r.wakeAt()).isEqualTo(clock.instant().plusSeconds(20));
        clock.advance(Duration.ofSeconds(20));
        assertThat(controller.advance("app#1", router, analysis(source)).state()).isEqualTo(CanaryState.SUCCEEDED);
    }

    @Test
    void startRefusesADuplicateOrABusyRouterAndWrongRouters() {
        start("10%/5s");
        assertThatThrownBy(() -> start("10%/5s")).hasMessageStartingWith("canary: a rollout 'app#1' exists already");
        assertThatThrownBy(() -> controller.start("alice", CanarySpec.of("app#2", "prod-lb", "stable", "canary", CanaryPlan.parse("AllAtOnce"))))
                .hasMessageStartingWith("router: 'prod-lb' is in use by canary 'app#1'");
        assertThatThrownBy(() -> controller.advance("app#1", new CanaryMemoryRouter("other", "stable", "canary"), analysis(new CanaryScriptedSource())))
                .hasMessage("router: canary app#1 runs on 'prod-lb', not on 'other'");
        assertThatThrownBy(() -> controller.advance("app#1", new CanaryMemoryRouter("prod-lb", "blue", "green"), analysis(new CanaryScriptedSource())))
                .hasMessageStartingWith("router: 'prod-lb' has no backend 'stable'");
        assertThatThrownBy(() -> CanarySpec.of("x", "prod-lb", "a", "a", CanaryPlan.parse("AllAtOnce")))
                .hasMessageStartingWith("canary: 'a' is also the stable backend");
        assertThat(controller.events("app#1")).hasSize(1);
    }
}
