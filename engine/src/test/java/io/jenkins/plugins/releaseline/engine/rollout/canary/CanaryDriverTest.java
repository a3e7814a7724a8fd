package io.jenkins.plugins.releaseline.engine.rollout.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.EffectJournal;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.store.Store;
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

/**
 * The canary driver on an H2 store: the pipeline's block as the router (a body asked once per weight change,
 * awaited after a crash, a failure or timeout of the block rolling back), the deploy block of the named-router
 * form, and stops.
 */
class CanaryDriverTest {

    static final String ID = "app#7-1";

    @TempDir
    Path folder;

    StoreTarget target;
    Store store;
    TestClock clock;
    CanaryController controller;
    CanaryScriptedSource source;
    CanaryMemoryRouter named;
    final List<Next.RunBody> bodies = new ArrayList<>();

    @BeforeEach
    void open() {
        target = StoreTarget.h2(folder);
        clock = new TestClock(Instant.parse("2026-12-05T03:00:00Z"));
        source = new CanaryScriptedSource("good");
        named = new CanaryMemoryRouter("prod-lb", "stable", "canary");
        reopen();
    }

    /** A new store, controller and driver on the same database file, as after a crash or restart. */
    CanaryDriver reopen() {
        if (store != null) {
            store.close();
        }
        store = target.open("c1");
        controller = new CanaryController(store, new AuditTrail(store, clock), clock);
        return null;
    }

    @AfterEach
    void close() {
        store.close();
    }

    CanaryDriver driver(boolean block) {
        return new CanaryDriver(ID, store, controller, clock, block ? null : named,
                () -> CanaryControllerContract.analysis(source));
    }

    CanaryDriver create(String plan, boolean block, boolean deployFirst) {
        String router = block ? "block-app-7-1" : "prod-lb";
        assertThat(CanaryDriver.create(store, clock, "alice", CanarySpec.of(ID, router, "stable", "canary",
                CanaryPlan.parse(plan)), block, deployFirst)).isTrue();
        return driver(block);
    }

    Next.RunBody runBody(Next next) {
        assertThat(next).isInstanceOf(Next.RunBody.class);
        Next.RunBody body = (Next.RunBody) next;
        bodies.add(body);
        return body;
    }

    /** Advances, moving the clock to each wait, running each body with {@code blockSucceeds}, until the end. */
    Next drive(CanaryDriver d, boolean blockSucceeds) {
        for (int i = 0; i < 200; i++) {
            Next next = d.advance(clock.instant());
            if (next.terminal()) {
                return next;
            }
            if (next instanceof Next.RunBody body) {
                bodies.add(body);
                d.bodyFinished(body.bodyId(), blockSucceeds, blockSucceeds ? null : "set-weights: exit code 2");
            } else if (next instanceof Next.Wait w) {
                clock.set(w.until());
            } else {
                throw new AssertionError("unexpected " + next);
            }
        }
        throw new AssertionError("no end after 200 advances");
    }

    List<String> canaryWeights() {
        return bodies.stream().filter(b -> b.purpose().equals(CanaryDriver.ROUTER))
                .map(b -> b.environment().get(CommandRouter.CANARY_WEIGHT)).toList();
    }

    @Test
    void theBlockIsAskedOncePerWeightChangeWithTheWeightsInItsEnvironment() {
        CanaryDriver d = create("10%/5s, 50%/10s, 100%", true, false);
        Next.RunBody first = runBody(d.advance(clock.instant()));
        assertThat(first.bodyId()).isEqualTo("weights-1");
        assertThat(first.environment()).containsEntry(CommandRouter.CANARY_WEIGHT, "10")
                .containsEntry(CommandRouter.WEIGHTS, "stable=90,canary=10")
                .containsEntry(CommandRouter.TARGET_COLOR, "canary");
        Next again = d.advance(clock.instant());
        assertThat(again).as("asked once; then awaited").isEqualTo(new Next.AwaitBody("weights-1",
                ((Next.AwaitBody) again).why()));
        d.bodyFinished("weights-1", true, null);
        d.bodyFinished("weights-1", false, "a second report is ignored");
        Next wait = d.advance(clock.instant());
        assertThat(wait).isInstanceOf(Next.Wait.class);
        assertThat(((Next.Wait) wait).until()).isEqualTo(clock.instant().plusSeconds(5));
        assertThat(controller.get(ID).state()).isEqualTo(CanaryState.WAITING);

        Next end = drive(d, true);
        assertThat(end).isInstanceOf(Next.Done.class);
        assertThat(canaryWeights()).containsExactly("10", "50", "100");
        assertThat(bodies).extracting(Next.RunBody::bodyId).containsExactly("weights-1", "weights-2", "weights-3");
        assertThat(controller.get(ID).state()).isEqualTo(CanaryState.SUCCEEDED);
        assertThat(d.advance(clock.instant())).as("an ended driver answers the same").isEqualTo(end);
    }

    @Test
    void afterACrashTheBlockAskedForIsAwaitedNotAskedAgain() {
        CanaryDriver d = create("10%/5s, 100%", true, false);
        runBody(d.advance(clock.instant()));
        reopen();
        CanaryDriver after = driver(true);
        assertThat(after.advance(clock.instant())).isInstanceOf(Next.AwaitBody.class);
        after.bodyFinished("weights-1", true, null);
        assertThat(after.advance(clock.instant())).isInstanceOf(Next.Wait.class);
        assertThat(drive(after, true)).isInstanceOf(Next.Done.class);
        assertThat(canaryWeights()).containsExactly("10", "100");
    }

    @Test
    void aBlockThatDoesNotReportInTimeIsARouterFailureAndRollsBack() {
        CanaryDriver d = create("10%/5s, 100%", true, false).withBodyTimeout(Duration.ofMinutes(30));
        runBody(d.advance(clock.instant()));
        clock.advance(Duration.ofMinutes(29));
        assertThat(d.advance(clock.instant())).isInstanceOf(Next.AwaitBody.class);
        clock.advance(Duration.ofMinutes(1));
        Next.RunBody back = runBody(d.advance(clock.instant()));
        assertThat(back.bodyId()).isEqualTo("weights-2");
        assertThat(back.environment()).containsEntry(CommandRouter.CANARY_WEIGHT, "0")
                .containsEntry(CommandRouter.WEIGHTS, "stable=100,canary=0");
        d.bodyFinished("weights-1", true, null); // the late report changes nothing
        d.bodyFinished("weights-2", true, null);
        Next end = d.advance(clock.instant());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).startsWith("canary rolled back: ").contains("did not report within 30m");
        assertThat(controller.get(ID).state()).isEqualTo(CanaryState.ROLLED_BACK);
        EffectJournal.Effect late = store.read(c -> EffectJournal.find(c, ID, "weights-1")).orElseThrow();
        assertThat(late.detail()).startsWith("failed: the block did not report");
    }

    @Test
    void aFailingBlockRollsBackWithItsMessage() {
        CanaryDriver d = create("10%/5s, 100%", true, false);
        Next.RunBody first = runBody(d.advance(clock.instant()));
        d.bodyFinished(first.bodyId(), false, "set-weights: exit code 2");
        Next.RunBody back = runBody(d.advance(clock.instant()));
        assertThat(back.environment()).containsEntry(CommandRouter.CANARY_WEIGHT, "0");
        d.bodyFinished(back.bodyId(), true, null);
        Next end = d.advance(clock.instant());
        assertThat(end.why()).startsWith("canary rolled back: ").contains("set-weights: exit code 2");
    }

    @Test
    void aStopRunsTheBlockOnceMoreToSendTheTrafficBackToStable() {
        CanaryDriver d = create("10%/5m, 100%", true, false);
        d.bodyFinished(runBody(d.advance(clock.instant())).bodyId(), true, null);
        assertThat(d.advance(clock.instant())).isInstanceOf(Next.Wait.class);
        d.requestStop("the build was stopped by bob");
        Next.RunBody back = runBody(d.advance(clock.instant()));
        assertThat(back.environment()).containsEntry(CommandRouter.CANARY_WEIGHT, "0");
        d.bodyFinished(back.bodyId(), true, null);
        Next end = d.advance(clock.instant());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).startsWith("canary aborted: ").contains("the build was stopped by bob");
    }

    @Test
    void theNamedRouterFormDeploysFirstThenMovesTrafficItself() {
        CanaryDriver d = create("10%/5s, 100%", false, true);
        Next.RunBody deploy = runBody(d.advance(clock.instant()));
        assertThat(deploy.bodyId()).isEqualTo(CanaryDriver.DEPLOY);
        assertThat(d.advance(clock.instant())).isInstanceOf(Next.AwaitBody.class);
        assertThat(controller.find(ID)).as("the rollout starts once deployed").isEmpty();
        d.bodyFinished(CanaryDriver.DEPLOY, true, null);
        assertThat(d.advance(clock.instant())).isInstanceOf(Next.Wait.class);
        assertThat(named.canaryWeight()).isEqualTo(10);
        assertThat(drive(d, true)).isInstanceOf(Next.Done.class);
        assertThat(named.applied).extracting(s -> s.of("canary")).containsExactly(10, 100);
        assertThat(controller.events(ID)).extracting(CanaryEvent::kind).as("a rollout started here is not 'recovered'")
                .doesNotContain(CanaryEvent.Kind.RECOVERED);
    }

    @Test
    void aFailedDeployEndsWithoutTouchingTheRouter() {
        CanaryDriver d = create("10%/5s, 100%", false, true);
        d.bodyFinished(runBody(d.advance(clock.instant())).bodyId(), false, "deploy.sh: exit code 1");
        Next end = d.advance(clock.instant());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("the deploy block failed: deploy.sh: exit code 1");
        assertThat(named.applied).isEmpty();
        assertThat(controller.find(ID)).isEmpty();
    }

    @Test
    void aStopDuringTheDeployAwaitsTheBlockThenEndsWithoutTouchingTheRouter() {
        CanaryDriver d = create("10%/5s, 100%", false, true);
        runBody(d.advance(clock.instant()));
        d.requestStop("the build was stopped");
        assertThat(d.advance(clock.instant())).as("the deploy block ends first").isInstanceOf(Next.AwaitBody.class);
        d.bodyFinished(CanaryDriver.DEPLOY, false, "interrupted");
        Next end = d.advance(clock.instant());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(named.applied).isEmpty();
        assertThat(controller.find(ID)).isEmpty();
    }

    @Test
    void aStopOfTheNamedFormCallsTheRouterBackToStable() {
        CanaryDriver d = create("10%/5m, 100%", false, false);
        d.advance(clock.instant());
        assertThat(named.canaryWeight()).isEqualTo(10);
        d.requestStop("stopped");
        Next end = d.advance(clock.instant());
        assertThat(end.why()).startsWith("canary aborted: ");
        assertThat(named.canaryWeight()).isZero();
        assertThat(named.stableWeight()).isEqualTo(100);
    }

    @Test
    void aRouterThatStaysDownEndsInAClearFailureNeverSuccess() {
        CanaryDriver d = create("10%/5s, 100%", false, false).withRollbackAttempts(3);
        named.down = true;
        Next end = drive(d, true);
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("did not confirm the canary at 0% after 3 attempts");
        assertThat(named.applied).isEmpty();
    }
}
