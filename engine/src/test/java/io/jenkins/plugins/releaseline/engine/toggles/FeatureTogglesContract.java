package io.jenkins.plugins.releaseline.engine.toggles;

import static io.jenkins.plugins.releaseline.engine.toggles.ToggleExamples.PRINCIPAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeSignals;
import io.jenkins.plugins.releaseline.engine.store.ChangeWatcher;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Toggles kept in the store, run against each database the store supports. */
abstract class FeatureTogglesContract {

    static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");

    StoreTarget target;
    Store store;
    TestClock clock;
    AuditTrail audit;
    FeatureToggles toggles;

    abstract StoreTarget newTarget() throws Exception;

    @BeforeEach
    void open() throws Exception {
        target = newTarget();
        store = target.open("controller-a");
        clock = new TestClock(T0);
        audit = new AuditTrail(store, clock);
        toggles = new FeatureToggles(store, audit, clock);
        toggles.addEnvironment(PRINCIPAL, "staging", null);
        toggles.addEnvironment(PRINCIPAL, "prod", null);
        toggles.define(PRINCIPAL, ToggleDefinition.bool("new-checkout", "The one-page checkout", "team-checkout"), "JIRA-12");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aNewToggleIsOffEverywhereAndAnswersTheApplicationDefault() {
        ToggleState t = toggles.toggle("new-checkout").orElseThrow();
        assertThat(t.settings()).containsOnlyKeys("staging", "prod");
        assertThat(t.settings().values()).allSatisfy(s -> assertThat(s.enabled()).isFalse());
        ToggleEvaluation e = toggles.evaluate("new-checkout", "prod", ToggleContext.ofTargetingKey("u1"), Boolean.FALSE);
        assertThat(e.reason()).isEqualTo(EvaluationReason.DISABLED);
        assertThat(e.value()).isEqualTo(false);
    }

    @Test
    void aFlipIsStoredAuditedWithBeforeAndAfterAndSignalled() throws Exception {
        long signalBefore = store.read(ChangeSignals::read).get(FeatureToggles.TOPIC);
        toggles.set("bob", "new-checkout", "prod", true, null, "launch");

        assertThat(toggles.evaluate("new-checkout", "prod", ToggleContext.EMPTY, false).value()).isEqualTo(true);
        AuditRecord r = audit.latest(AuditScope.of(AuditScope.Kind.TOGGLE, "new-checkout/prod")).orElseThrow();
        assertThat(r.action()).isEqualTo("toggle.enable");
        assertThat(r.principal()).isEqualTo("bob");
        assertThat(r.reason()).isEqualTo("launch");
        JsonNode before = ToggleJson.MAPPER.readTree(r.before());
        JsonNode after = ToggleJson.MAPPER.readTree(r.after());
        assertThat(before.get("enabled").asBoolean()).isFalse();
        assertThat(after.get("enabled").asBoolean()).isTrue();
        assertThat(store.read(ChangeSignals::read).get(FeatureToggles.TOPIC)).isGreaterThan(signalBefore);

        // a second engine on the same store (a restart) reads the same state
        FeatureToggles reopened = new FeatureToggles(store, audit, clock);
        assertThat(reopened.toggle("new-checkout").orElseThrow().setting("prod").enabled()).isTrue();
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void anotherControllerSeesTheChangeThroughItsWatcher() {
        try (Store other = target.open("controller-b");
             ChangeWatcher watcher = new ChangeWatcher(other, Duration.ofHours(1))) {
            FeatureToggles remote = new FeatureToggles(other, new AuditTrail(other, clock), clock);
            remote.watch(watcher);
            assertThat(remote.evaluate("new-checkout", "prod", ToggleContext.EMPTY, false).reason()).isEqualTo(EvaluationReason.DISABLED);

            toggles.set(PRINCIPAL, "new-checkout", "prod", true, null, null);
            assertThat(remote.evaluate("new-checkout", "prod", ToggleContext.EMPTY, false).reason())
                    .as("not before the watcher polls").isEqualTo(EvaluationReason.DISABLED);
            watcher.poll();
            ToggleEvaluation e = remote.evaluate("new-checkout", "prod", ToggleContext.EMPTY, false);
            assertThat(e.value()).isEqualTo(true);
            assertThat(e.reason()).isEqualTo(EvaluationReason.DEFAULT);
        }
    }

    @Test
    void theKillSwitchTurnsItOffAtOnceAndNeedsAReason() {
        toggles.set(PRINCIPAL, "new-checkout", "prod", true, 40, null);
        assertThatThrownBy(() -> toggles.kill("carol", "new-checkout", "prod", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reason:");
        EnvironmentSetting killed = toggles.kill("carol", "new-checkout", "prod", "INC-7: payments failing");
        assertThat(killed.enabled()).isFalse();
        assertThat(killed.killed()).isTrue();
        assertThat(toggles.evaluate("new-checkout", "prod", ToggleContext.ofTargetingKey("anyone"), false).reason())
                .isEqualTo(EvaluationReason.DISABLED);
        AuditRecord r = audit.latest(AuditScope.of(AuditScope.Kind.TOGGLE, "new-checkout/prod")).orElseThrow();
        assertThat(r.action()).isEqualTo("toggle.kill");
        assertThat(r.reason()).isEqualTo("INC-7: payments failing");
        // turning it on again clears the kill and keeps the rollout
        EnvironmentSetting back = toggles.set(PRINCIPAL, "new-checkout", "prod", true, null, null);
        assertThat(back.killed()).isFalse();
        assertThat(back.percentServed("on")).isEqualTo(40.0);
    }

    @Test
    void raisingTheRolloutKeepsEveryoneAlreadyIn() {
        toggles.set(PRINCIPAL, "new-checkout", "prod", true, 10, null);
        List<String> users = java.util.stream.IntStream.range(0, 5_000).mapToObj(i -> "user-" + i).toList();
        List<String> inAt10 = users.stream().filter(u -> on(u)).toList();
        toggles.set(PRINCIPAL, "new-checkout", "prod", null, 20, null);
        List<String> inAt20 = users.stream().filter(u -> on(u)).toList();

        assertThat(inAt20).containsAll(inAt10);
        assertThat(inAt10.size()).isBetween(400, 600);
        assertThat(inAt20.size()).isBetween(900, 1_100);
        // the same user always gets the same answer
        assertThat(users.stream().filter(u -> on(u)).toList()).isEqualTo(inAt20);
    }

    private boolean on(String user) {
        return toggles.evaluate("new-checkout", "prod", ToggleContext.ofTargetingKey(user), false).isOn();
    }

    @Test
    void historyListsEveryChangeOfTheToggleNewestFirst() {
        toggles.set(PRINCIPAL, "new-checkout", "staging", true, null, null);
        toggles.set(PRINCIPAL, "new-checkout", "prod", true, 25, null);
        toggles.kill(PRINCIPAL, "new-checkout", "prod", "INC-9");
        assertThat(toggles.history("new-checkout", 10)).extracting(AuditRecord::action)
                .containsExactly("toggle.kill", "toggle.rollout", "toggle.enable", "toggle.define");
    }

    @Test
    void controllersDefiningTheSameThingsAtOnceAllSucceedAndNothingIsDuplicated() throws Exception {
        int workers = 4;
        List<Store> stores = new java.util.ArrayList<>();
        List<FeatureToggles> engines = new java.util.ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Store s = target.open("controller-" + i);
            stores.add(s);
            engines.add(new FeatureToggles(s, new AuditTrail(s, clock), clock));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (FeatureToggles e : engines) {
                done.add(pool.submit(() -> {
                    start.await();
                    e.addEnvironment("casc", "qa", null);
                    e.define("casc", ToggleDefinition.bool("from-casc", "Defined by every controller at start-up", "ops"), null);
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            stores.forEach(Store::close);
        }
        toggles.reload();
        assertThat(toggles.environments()).containsExactly("staging", "prod", "qa");
        assertThat(toggles.toggles()).extracting(ToggleState::key).containsExactly("from-casc", "new-checkout");
        assertThat(toggles.history("from-casc", 10)).extracting(AuditRecord::action).containsExactly("toggle.define");
    }

    @Test
    void staleTogglesAreThoseServingOneAnswerEverywhereForNDays() {
        toggles.define(PRINCIPAL, ToggleDefinition.bool("old-search", "Search v2", "team-search"), null);
        toggles.define(PRINCIPAL, ToggleDefinition.bool("half-done", "Still rolling out", "team-x"), null);
        toggles.set(PRINCIPAL, "old-search", "staging", true, 100, null);
        toggles.set(PRINCIPAL, "old-search", "prod", true, 100, null);
        toggles.set(PRINCIPAL, "half-done", "staging", true, null, null);
        toggles.set(PRINCIPAL, "half-done", "prod", true, 50, null);
        // new-checkout stays off everywhere

        assertThat(toggles.stale(Duration.ofDays(30))).isEmpty();
        clock.advance(Duration.ofDays(31));
        List<StaleToggle> stale = toggles.stale(Duration.ofDays(30));
        assertThat(stale).extracting(StaleToggle::key, StaleToggle::state)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("old-search", "on at 100% everywhere"),
                        org.assertj.core.groups.Tuple.tuple("new-checkout", "off everywhere"));
        assertThat(stale.get(0).unchangedFor()).isGreaterThanOrEqualTo(Duration.ofDays(31));

        // a change restarts the count
        toggles.set(PRINCIPAL, "old-search", "prod", false, null, null);
        toggles.set(PRINCIPAL, "old-search", "prod", true, null, null);
        assertThat(toggles.stale(Duration.ofDays(30))).extracting(StaleToggle::key).containsExactly("new-checkout");
    }
}
