package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work held back by a window goes on by itself when the window closes: nobody has to call the board. */
class WindowTimerTest {

    @TempDir
    Path folder;

    @Test
    void listenersHearWhenAWindowClosesWithoutAnyCall() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Store store = StoreTarget.h2(folder).open();
             FreezeBoard board = new FreezeBoard(store, new AuditTrail(store, clock), clock, AndonPermissions.overrideOnlyBy(Set.of()))) {
            WorkScope work = WorkScope.deployment("app", "prod", "app#1");
            List<Boolean> stoppedAtEachRebuild = new CopyOnWriteArrayList<>();
            CountDownLatch lifted = new CountDownLatch(1);
            board.addListener(() -> {
                // what a held deployment does when told: ask again
                boolean stopped = board.check(work, WorkKind.DEPLOYMENT).blocked();
                stoppedAtEachRebuild.add(stopped);
                if (!stopped) {
                    lifted.countDown();
                }
            });
            Instant now = clock.instant();
            board.configure("admin", new AndonConfig(List.of(), List.of(FreezeWindow.oneOff("short", FreezeScope.EVERYTHING,
                    Stops.DEPLOYMENTS, null, now.minusSeconds(5), now.plus(Duration.ofSeconds(4))))));
            assertThat(lifted.await(30, TimeUnit.SECONDS)).as("the board's timer rebuilt the snapshot when the window closed").isTrue();
            assertThat(stoppedAtEachRebuild.get(0)).as("the window was open when it was configured").isTrue();
            assertThat(board.check(work, WorkKind.DEPLOYMENT)).isSameAs(Decision.ALLOWED);
        }
    }

    @Test
    void theTimerKeepsWakingUntilTheWindowEdgeComes() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));
        try (Store store = StoreTarget.h2(folder).open();
             FreezeBoard board = new FreezeBoard(store, new AuditTrail(store, clock), clock, AndonPermissions.overrideOnlyBy(Set.of()))) {
            board.configure("admin", new AndonConfig(List.of(), List.of(FreezeWindow.oneOff("maintenance", FreezeScope.EVERYTHING,
                    Stops.DEPLOYMENTS, null, clock.instant().minusSeconds(60), clock.instant().plus(Duration.ofHours(1))))));
            CountDownLatch lifted = new CountDownLatch(1);
            board.addListener(() -> {
                if (board.activeBlockers().isEmpty()) {
                    lifted.countDown();
                }
            });
            board.wakeAtLeastEvery(Duration.ofMillis(50));
            Thread.sleep(300);
            // the timer has woken several times without anything being due; now the hour passes
            clock.advance(Duration.ofMinutes(61));
            assertThat(lifted.await(30, TimeUnit.SECONDS)).as("the timer was still armed when the window closed").isTrue();
        }
    }
}
