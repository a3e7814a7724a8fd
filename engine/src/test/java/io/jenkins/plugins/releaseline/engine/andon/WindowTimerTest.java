package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
            Instant now = clock.instant();
            board.configure("admin", new AndonConfig(List.of(), List.of(FreezeWindow.oneOff("short", FreezeScope.EVERYTHING,
                    Stops.DEPLOYMENTS, null, now.minusSeconds(5), now.plus(Duration.ofMillis(1500))))));
            WorkScope work = WorkScope.deployment("app", "prod", "app#1");
            assertThat(board.check(work, WorkKind.DEPLOYMENT).blocked()).isTrue();
            CountDownLatch lifted = new CountDownLatch(1);
            board.addListener(() -> {
                // what a held deployment does when told: ask again, without touching the board otherwise
                if (!board.activeBlockers().isEmpty()) {
                    return;
                }
                lifted.countDown();
            });
            assertThat(lifted.await(30, TimeUnit.SECONDS)).as("the board's timer rebuilt the snapshot when the window closed").isTrue();
            assertThat(board.check(work, WorkKind.DEPLOYMENT)).isSameAs(Decision.ALLOWED);
        }
    }
}
