package io.jenkins.plugins.releaseline.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.andon.AndonPermissions;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A store with the promotion engine, the freeze board and telemetry over it, a test clock, and ledgers built
 * through the real engines: {@link #weekInProd()} is the known week whose DORA figures are computed by hand.
 */
abstract class KnownLedger {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    StoreTarget target;
    Store store;
    TestClock clock;
    AuditTrail audit;
    PromotionEngine promotions;
    FreezeBoard board;
    DeliveryTelemetry telemetry;
    int version;

    abstract StoreTarget newTarget() throws Exception;

    void open() throws Exception {
        target = newTarget();
        store = target.open("controller-a");
        clock = new TestClock(T0);
        audit = new AuditTrail(store, clock);
        promotions = new PromotionEngine(store, audit, clock, (env, job, who) -> FreezeCheck.Answer.clear(), TelemetryFacts.LEDGER);
        promotions.configure(EnvironmentOrder.of(List.of(Environment.first("staging"),
                Environment.after("staging", "prod", Duration.ZERO, null))), "admin");
        board = new FreezeBoard(store, audit, clock, AndonPermissions.overrideOnlyBy(Set.of("oncall")));
        telemetry = new DeliveryTelemetry(store, audit, clock);
    }

    void close() {
        board.close();
        store.close();
    }

    static String digest(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    static String hex(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    /** Requests and starts now, finishes after {@code takes}, deployed or failed. */
    Promotion deploy(String env, char digest, Duration takes, boolean succeeds) {
        return deploy(env, digest(digest), takes, succeeds);
    }

    Promotion deploy(String env, String digest, Duration takes, boolean succeeds) {
        Promotion p = promotions.request(new PromotionRequest(env, Artifact.of("app", "1." + (version++), digest), null,
                "team/app", null, "ci"));
        Attempt a = promotions.begin(p.id(), false, "ci");
        assertThat(a.outcome()).as(a.evaluation().verdicts().toString()).isEqualTo(Attempt.Outcome.STARTED);
        clock.advance(takes);
        return promotions.finish(p.id(), succeeds, "ci", null);
    }

    /** Rolls {@code env} back: asked now, deployed after {@code takes}. */
    Promotion rollback(String env, Duration takes) {
        Promotion p = promotions.rollback(env, "app", Actor.user("oncall"), "errors went up", null, null);
        promotions.begin(p.id(), false, "oncall");
        clock.advance(takes);
        return promotions.finish(p.id(), true, "oncall", null);
    }

    void at(Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
    }

    static Duration h(long hours, long minutes) {
        return Duration.ofHours(hours).plusMinutes(minutes);
    }

    void commit(char digest, Duration sinceT0, boolean hotfix) {
        telemetry.recordChange("ci", "app", digest(digest), "c0ffee" + digest, T0.plus(sinceT0), hotfix);
    }

    /**
     * The ledger of a week in prod, by hand (T = 2026-03-02 09:00 UTC, failure window 24 h):
     * A deployed T+0:10 (commit T-2h: lead 2h10); B failed T+24:05, B deployed T+25:10 (commit T+22h: lead 3h10;
     * restores the failure after 65 min); rollback asked T+26:10, done T+26:30 (B becomes a failed change; 20 min);
     * D deployed T+48:10 (commit T+46h: 2h10); hotfix E deployed T+50:10 (commit T+49:30: 40 min; D becomes a failed
     * change; incident from D's deploy to E: 2 h); F deployed T+72:10 (commit T+70h: 2h10), its verification failed
     * T+72:40; G (digest 0, no commit recorded) deployed T+74:10, restoring F after 1h30; prod frozen T+80:00 to T+80:45.
     */
    void weekInProd() {
        clock.set(T0.minus(Duration.ofHours(2)));
        commit('a', h(-2, 0), false);
        deploy("staging", 'a', Duration.ofMinutes(1), true);
        at(Duration.ZERO);
        deploy("prod", 'a', Duration.ofMinutes(10), true);
        at(h(22, 0));
        commit('b', h(22, 0), false);
        deploy("staging", 'b', Duration.ofMinutes(1), true);
        at(h(24, 0));
        deploy("prod", 'b', Duration.ofMinutes(5), false);
        at(h(25, 0));
        deploy("prod", 'b', Duration.ofMinutes(10), true);
        at(h(26, 10));
        rollback("prod", Duration.ofMinutes(20));
        at(h(46, 0));
        commit('d', h(46, 0), false);
        deploy("staging", 'd', Duration.ofMinutes(1), true);
        at(h(48, 0));
        deploy("prod", 'd', Duration.ofMinutes(10), true);
        at(h(49, 30));
        commit('e', h(49, 30), true);
        deploy("staging", 'e', Duration.ofMinutes(1), true);
        at(h(50, 0));
        deploy("prod", 'e', Duration.ofMinutes(10), true);
        at(h(70, 0));
        commit('f', h(70, 0), false);
        deploy("staging", 'f', Duration.ofMinutes(1), true);
        at(h(72, 0));
        Promotion f = deploy("prod", 'f', Duration.ofMinutes(10), true);
        at(h(72, 40));
        telemetry.recordFailedVerification("monitor", f.id(), "smoke tests: 5xx on /checkout");
        at(h(73, 0));
        deploy("staging", '0', Duration.ofMinutes(1), true);
        at(h(74, 0));
        deploy("prod", '0', Duration.ofMinutes(10), true);
        at(h(80, 0));
        Freeze freeze = board.pull("dave", PullRequest.of(FreezeScope.environment("prod"), "payments incident"));
        at(h(80, 45));
        board.release("dave", freeze.id(), "fixed");
        at(h(100, 0));
    }
}
