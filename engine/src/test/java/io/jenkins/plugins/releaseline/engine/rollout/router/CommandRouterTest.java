package io.jenkins.plugins.releaseline.engine.rollout.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRouterTest {

    @TempDir
    Path dir;
    Store store;
    AuditTrail audit;
    final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    final List<Map<String, String>> calls = new ArrayList<>();

    @BeforeEach
    void open() {
        store = StoreTarget.h2(dir).open();
        audit = new AuditTrail(store, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    CommandRouter router(CommandRouter.Commands commands) {
        return new CommandRouter("dns", List.of("blue", "green"), "blue", commands, store, audit, clock, "build-42");
    }

    /** Code that does what it is asked and says so, the way a shell script would print it. */
    CommandRouter.Commands obedient() {
        return (target, env) -> {
            calls.add(env);
            return new CommandRouter.Report(CommandRouter.parse(env.get(CommandRouter.WEIGHTS)), "set weights " + env.get(CommandRouter.WEIGHTS));
        };
    }

    @Test
    void theCodeGetsTheSplitInItsEnvironmentAndItsReportIsRecorded() {
        CommandRouter r = router(obedient());
        assertThat(r.read()).isEqualTo(TrafficSplit.all("blue", r.backends()));
        r.apply(TrafficSplit.of("blue", "green", 10));
        assertThat(calls.get(0)).containsEntry(CommandRouter.TARGET_COLOR, "green").containsEntry(CommandRouter.CANARY_WEIGHT, "10")
                .containsEntry(CommandRouter.WEIGHTS, "blue=90,green=10");
        // a new instance (a restart) reads what was recorded
        CommandRouter again = router(obedient());
        assertThat(again.read().of("green")).isEqualTo(10);
        assertThat(again.lastReport().orElseThrow().getValue()).isEqualTo("set weights blue=90,green=10");
        again.apply(TrafficSplit.all("green", again.backends()));
        assertThat(audit.recent(AuditScope.of(AuditScope.Kind.ROUTER, "dns"), false, 10)).extracting(AuditRecord::after)
                .containsExactly("{\"split\":\"blue=0,green=100\"}", "{\"split\":\"blue=90,green=10\"}");
    }

    @Test
    void aCanaryRouterAlwaysGivesTheCanarysWeightSoARollbackSendsItNothing() {
        CommandRouter r = CommandRouter.forCanary("block-app-7", "stable", "canary", obedient(), store, audit, clock, "build-7");
        r.apply(TrafficSplit.of("stable", "canary", 10));
        r.apply(TrafficSplit.of("stable", "canary", 50));
        // the rollback: stable gains the traffic back, and the code that sets the canary's weight must set 0, not 100
        r.apply(TrafficSplit.all("stable", r.backends()));
        assertThat(calls).extracting(e -> e.get(CommandRouter.CANARY_WEIGHT)).containsExactly("10", "50", "0");
        assertThat(calls.get(2)).containsEntry(CommandRouter.TARGET_COLOR, "stable").containsEntry(CommandRouter.WEIGHTS, "stable=100,canary=0");
        // a blue-green router keeps the gaining colour's weight: switching back to blue gives 100 for blue
        calls.clear();
        CommandRouter blueGreen = router(obedient());
        blueGreen.apply(TrafficSplit.all("green", blueGreen.backends()));
        blueGreen.apply(TrafficSplit.all("blue", blueGreen.backends()));
        assertThat(calls).extracting(e -> e.get(CommandRouter.TARGET_COLOR) + "=" + e.get(CommandRouter.CANARY_WEIGHT))
                .containsExactly("green=100", "blue=100");
        assertThatThrownBy(() -> CommandRouter.forCanary("x", "stable", "stable", obedient(), store, audit, clock, "b"))
                .hasMessage("canary: 'stable' is also the stable backend's name; give the canary another");
    }

    @Test
    void aReportOtherThanTheRequestIsRecordedAndRefused() {
        CommandRouter r = router((target, env) -> new CommandRouter.Report(TrafficSplit.of("blue", "green", 50), "only half the zones moved"));
        assertThatThrownBy(() -> r.apply(TrafficSplit.all("green", r.backends()))).isInstanceOf(RouterException.class)
                .hasMessageContaining("reported {blue=50, green=50} after being asked for {blue=0, green=100}");
        assertThat(r.read().of("green")).as("what the code said it did is what the router reads").isEqualTo(50);
    }

    @Test
    void codeThatFailsLeavesTheRecordAsItWas() {
        CommandRouter r = router((target, env) -> {
            throw new RouterException("the script exited with 2", false);
        });
        assertThatThrownBy(() -> r.apply(TrafficSplit.all("green", r.backends()))).hasMessageContaining("exited with 2");
        assertThat(r.read().of("blue")).isEqualTo(100);
        assertThat(r.lastReport()).isEmpty();
    }

    @Test
    void reportsParseOrAreRefusedByField() {
        assertThat(CommandRouter.parse(" blue=25; green=75 \n").percent()).containsExactly(Map.entry("blue", 25), Map.entry("green", 75));
        assertThatThrownBy(() -> CommandRouter.parse("green")).hasMessageStartingWith("report:");
        assertThatThrownBy(() -> CommandRouter.parse("blue=x")).hasMessageStartingWith("report:");
        assertThatThrownBy(() -> CommandRouter.parse("blue=20,green=20")).hasMessageStartingWith("split:");
    }
}
