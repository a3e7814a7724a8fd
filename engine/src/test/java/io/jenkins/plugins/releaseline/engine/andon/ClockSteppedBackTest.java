package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wall clock stepped back (NTP, an operator) is noticed: the snapshot is rebuilt for the earlier time. */
class ClockSteppedBackTest {

    static final Instant T0 = Instant.parse("2027-05-05T10:00:00Z");
    static final WorkScope WORK = WorkScope.deployment("app", "prod", "app#1");

    @TempDir
    Path folder;

    @Test
    void aSnapshotBuiltWhileAWindowWasOpenIsRebuiltWhenTheClockGoesBackADay() {
        TestClock clock = new TestClock(T0);
        try (Store store = StoreTarget.h2(folder).open();
             FreezeBoard board = new FreezeBoard(store, new AuditTrail(store, clock), clock, AndonPermissions.overrideOnlyBy(Set.of()))) {
            board.configure("admin", new AndonConfig(List.of(), List.of(
                    FreezeWindow.oneOff("release", FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, null,
                            T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2))),
                    FreezeWindow.recurring("office", FreezeScope.environment("prod"), Stops.DEPLOYMENTS, null,
                            "0 9 * * 3", "0 17 * * 3", "UTC"))));
            assertThat(board.check(WORK, WorkKind.DEPLOYMENT).blocked()).as("Wednesday 10:00, both open").isTrue();
            assertThat(board.activeBlockers()).hasSize(2);

            clock.set(T0.minus(Duration.ofDays(1)));
            board.refreshIfDue();
            assertThat(board.activeBlockers()).as("Tuesday 10:00: neither window is open").isEmpty();
            assertThat(board.check(WORK, WorkKind.DEPLOYMENT)).isSameAs(Decision.ALLOWED);
            assertThat(board.nextChangeAt()).contains(T0.minus(Duration.ofHours(1)));

            // back to the right time: open again
            clock.set(T0.plus(Duration.ofMinutes(1)));
            assertThat(board.check(WORK, WorkKind.DEPLOYMENT).blocked()).isTrue();
        }
    }

    @Test
    void aClockSteppedBackAMinuteIsNoticedWithoutAnyCallButCheck() {
        TestClock clock = new TestClock(T0);
        try (Store store = StoreTarget.h2(folder).open();
             FreezeBoard board = new FreezeBoard(store, new AuditTrail(store, clock), clock, AndonPermissions.overrideOnlyBy(Set.of()))) {
            board.configure("admin", new AndonConfig(List.of(), List.of(
                    FreezeWindow.oneOff("maintenance", FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, null,
                            T0, T0.plus(Duration.ofHours(1))))));
            assertThat(board.check(WORK, WorkKind.DEPLOYMENT).blocked()).isTrue();
            clock.set(T0.minusSeconds(60));
            assertThat(board.check(WORK, WorkKind.DEPLOYMENT)).as("before the window opens").isSameAs(Decision.ALLOWED);
            assertThat(board.isLineStopped()).isFalse();
        }
    }
}
