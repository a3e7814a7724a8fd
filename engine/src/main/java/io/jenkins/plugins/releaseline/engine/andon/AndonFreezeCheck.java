package io.jenkins.plugins.releaseline.engine.andon;

import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The freeze board as the promotion engine's freeze gate: a promotion to an environment is held while any
 * active freeze or open window stops deployments or promotions of that environment or of the deploying job.
 */
public final class AndonFreezeCheck implements FreezeCheck {

    private final Supplier<FreezeBoard> board;

    /** @param board the board to ask at each check (a supplier, so that a reopened board is used at once) */
    public AndonFreezeCheck(Supplier<FreezeBoard> board) {
        this.board = Objects.requireNonNull(board, "board");
    }

    @Override
    public Answer check(String environment, String jobPath, String principal) {
        Decision decision = board.get().check(WorkScope.deployment(jobPath, environment, null), WorkKind.PROMOTION);
        if (decision.allowed()) {
            return Answer.clear();
        }
        return Answer.blocked(decision.blockers().stream().map(Blocker::describe).toList());
    }
}
