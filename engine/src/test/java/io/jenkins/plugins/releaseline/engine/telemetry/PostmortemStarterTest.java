package io.jenkins.plugins.releaseline.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.andon.Decision;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.andon.WorkKind;
import io.jenkins.plugins.releaseline.engine.andon.WorkScope;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The postmortem starters of a freeze and of a rollback, over the known week in prod. */
class PostmortemStarterTest extends KnownLedger {

    @TempDir
    Path folder;

    PostmortemStarter starter;

    @Override
    StoreTarget newTarget() {
        return StoreTarget.h2(folder);
    }

    @BeforeEach
    void setUp() throws Exception {
        open();
        starter = new PostmortemStarter(store, audit, clock);
    }

    @AfterEach
    void tearDown() {
        close();
    }

    @Test
    void aFreezeStarterHasTheTimelineTheBlockedBuildsTheOverridesAndTheDeploysInvolved() {
        clock.set(T0.minus(Duration.ofHours(2)));
        deploy("staging", 'a', Duration.ofMinutes(1), true);
        deploy("staging", 'b', Duration.ofMinutes(1), true);
        at(Duration.ZERO);
        Freeze f = board.pull("dave", PullRequest.of(FreezeScope.environment("prod"), "payments <b>down</b> | INC-7\nsee chat")
                .withLink("https://status.example/INC-7"));
        at(Duration.ofMinutes(5));
        Decision held = board.check(WorkScope.deployment("team/app", "prod", "team/app#41"), WorkKind.DEPLOYMENT);
        board.noteBlocked(held, "team/app#41");
        at(Duration.ofMinutes(7));
        board.noteBlocked(board.check(WorkScope.deployment("team/app", "prod", "team/app#42"), WorkKind.DEPLOYMENT), "team/app#42");
        at(Duration.ofMinutes(20));
        board.override("oncall", "freeze-" + f.id(), "hotfix for INC-7", "team/app#43");
        deploy("prod", 'a', Duration.ofMinutes(4), true);
        at(Duration.ofMinutes(50));
        board.release("dave", f.id(), "payments back");
        at(Duration.ofHours(3));

        String md = starter.forFreeze(f.id());

        assertThat(md).startsWith("# Postmortem: freeze-" + f.id() + "\n\n"
                + "- **Scope:** environment:prod\n"
                + "- **Pulled by:** dave at 2026-03-02T09:00:00Z\n"
                + "- **Reason:** payments &lt;b&gt;down&lt;/b&gt; \\| INC-7 see chat\n"
                + "- **Link:** <https://status.example/INC-7>\n"
                + "- **Ended:** 2026-03-02T09:50:00Z (released by dave: payments back)\n"
                + "- **Duration:** 50m\n\n"
                + "## Timeline\n\n| At | Since start | Who | What | Why |\n|---|---|---|---|---|\n"
                + "| 2026-03-02T09:00:00Z | 0s | dave | andon.pull | payments &lt;b&gt;down&lt;/b&gt; \\| INC-7 see chat |\n"
                + "| 2026-03-02T09:20:00Z | 20m | oncall | andon.override | hotfix for INC-7 |\n"
                + "| 2026-03-02T09:50:00Z | 50m | dave | andon.release | payments back |\n\n"
                + "## Builds blocked\n\n| First held at | Work |\n|---|---|\n"
                + "| 2026-03-02T09:05:00Z | team/app#41 |\n| 2026-03-02T09:07:00Z | team/app#42 |\n\n"
                + "## Overrides\n\n| At | By | Build | Reason |\n|---|---|---|---|\n"
                + "| 2026-03-02T09:20:00Z | oncall | team/app#43 | hotfix for INC-7 |\n\n"
                + "## Deployments involved\n\n");
        assertThat(md).contains("| 2026-03-02T09:20:00Z | prod | app 1.2 | started | ci |",
                "| 2026-03-02T09:24:00Z | prod | app 1.2 | deployed | ci |");
        assertThat(md).doesNotContain("| staging |");
        assertThat(md).endsWith("## Cause\n\n_To be written._\n\n## Actions\n\n| Action | Owner | Due |\n|---|---|---|\n| | | |\n");
    }

    @Test
    void aBuildPageOffersTheFreezeItsFailurePulledAndTheRollbacksItDeployed() {
        board.configure("admin", new io.jenkins.plugins.releaseline.engine.andon.AndonConfig(List.of(
                new io.jenkins.plugins.releaseline.engine.andon.LineJob("team/app", FreezeScope.environment("prod"),
                        io.jenkins.plugins.releaseline.engine.andon.Stops.DEPLOYMENTS,
                        io.jenkins.plugins.releaseline.engine.andon.ReleasePolicy.STAY_PULLED)), List.of()));
        Freeze pulled = board.lineFailed("team/app", "team/app#41", "https://ci.example/job/team/job/app/41/").orElseThrow();
        deploy("staging", 'a', Duration.ofMinutes(1), true);
        deploy("staging", 'b', Duration.ofMinutes(1), true);
        Promotion back = promotions.rollback("staging", "app", io.jenkins.plugins.releaseline.engine.promotion.Actor.user("oncall"),
                "bad", "team/rollback", "https://ci.example/job/team/job/rollback/7/");
        assertThat(starter.forBuild("team/app", "team/app#41", "https://ci.example/job/team/job/app/41/"))
                .containsExactly(new PostmortemStarter.Available("freeze", pulled.id(), "freeze-" + pulled.id() + ": The line is broken: team/app#41 failed"));
        assertThat(starter.forBuild("team/rollback", "team/rollback#7", "https://ci.example/job/team/job/rollback/7/"))
                .extracting(PostmortemStarter.Available::kind, PostmortemStarter.Available::id, PostmortemStarter.Available::fileName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rollback", back.id(), "postmortem-rollback-" + back.id() + ".md"));
        assertThat(starter.forBuild("team/app", "team/app#40", "https://ci.example/job/team/job/app/40/")).isEmpty();
        assertThat(starter.forBuild(null, null, null)).isEmpty();
    }

    @Test
    void aRollbackStarterNamesBothDeploymentsAndIsFoundFromEitherPromotion() {
        weekInProd();
        long rollbackId = store.read(c -> {
            try (var q = c.prepareStatement("SELECT id FROM release_line_promotion WHERE rollback = TRUE"); var rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        String md = starter.forRollback(rollbackId);
        assertThat(md).startsWith("# Postmortem: rollback of app in prod\n\n"
                + "- **Rolled back to:** app 1.1 (" + digest('a') + ")\n"
                + "- **Replaced:** app 1.4 (" + digest('b') + "), promotion ");
        assertThat(md).contains(", deployed at 2026-03-03T10:10:00Z\n- **Asked by:** oncall at 2026-03-03T11:10:00Z\n",
                "- **Rolled back at:** 2026-03-03T11:30:00Z (20m after it was asked for, 1h 20m after the replaced deployment)\n",
                "| 2026-03-03T11:10:00Z | 1h 0m | oncall | promotion.rollback | rollback from app 1.4",
                "| 2026-03-03T11:30:00Z | 1h 20m | oncall | promotion.rolled-back |",
                "No freeze of prod was active.",
                "| 2026-03-03T11:30:00Z | prod | app 1.1 | rolled back | oncall | " + rollbackId + " |");
        long replacedId = store.read(c -> {
            try (var q = c.prepareStatement("SELECT id FROM release_line_promotion WHERE status = 'ROLLED_BACK'"); var rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(starter.forRollback(replacedId)).isEqualTo(md);
        Promotion plain = deploy("staging", 'c', Duration.ofMinutes(1), true);
        assertThatThrownBy(() -> starter.forRollback(plain.id())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("promotion: " + plain.id() + " is neither a rollback nor a deployment that was rolled back");
        assertThatThrownBy(() -> starter.forFreeze(4242)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("freeze: there is no freeze-4242");
        assertThat(PostmortemStarter.fileName("freeze", 12)).isEqualTo("postmortem-freeze-12.md");
        assertThat(starter.starter("rollback", rollbackId)).isEqualTo(md);
        assertThat(starter.recent(10)).extracting(PostmortemStarter.Available::kind, PostmortemStarter.Available::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("freeze", 1L), org.assertj.core.groups.Tuple.tuple("rollback", rollbackId));
        assertThatThrownBy(() -> starter.starter("deploy", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kind: 'deploy' is not known; use freeze or rollback");
    }
}
