package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The board answers the promotion engine's freeze gate: held while a freeze applies, clear once released. */
class AndonFreezeCheckTest {

    @TempDir
    Path folder;

    @Test
    void aPromotionIsHeldByAFreezeOfItsEnvironmentOrJobAndGoesOnWhenReleased() {
        TestClock clock = new TestClock(Instant.parse("2026-11-20T09:00:00Z"));
        try (Store store = StoreTarget.h2(folder).open();
             FreezeBoard board = new FreezeBoard(store, new AuditTrail(store, clock), clock,
                     AndonPermissions.overrideOnlyBy(Set.of("oncall-lead")))) {
            FreezeCheck gate = new AndonFreezeCheck(() -> board);
            assertThat(gate.check("prod", "team-a/app/main", "carol").blocked()).isFalse();

            Freeze prod = board.pull("dave", PullRequest.of(FreezeScope.environment("prod"), "payments incident INC-7"));
            FreezeCheck.Answer held = gate.check("prod", "team-a/app/main", "carol");
            assertThat(held.blocked()).isTrue();
            assertThat(String.join("\n", held.reasons())).contains("payments incident INC-7").contains("dave");
            assertThat(gate.check("staging", "team-a/app/main", "carol").blocked()).isFalse();

            board.pull("erin", PullRequest.of(FreezeScope.job("team-b"), "team b migration"));
            assertThat(gate.check("staging", "team-b/api/main", "carol").blocked()).isTrue();
            assertThat(gate.check("staging", "team-bee/api/main", "carol").blocked()).isFalse();

            board.release("dave", prod.id(), "payments recovered");
            assertThat(gate.check("prod", "team-a/app/main", "carol").blocked()).isFalse();
        }
    }
}
