package io.jenkins.plugins.releaseline.andon;

import hudson.Extension;
import io.jenkins.plugins.releaseline.engine.andon.AndonFreezeCheck;
import io.jenkins.plugins.releaseline.promotion.PromotionFreezeCheck;

/**
 * The promotion gates' freeze gate, answered by the Andon board: {@code promote} and {@code lambdaDeploy} wait (or
 * refuse) while the cord is pulled or a freeze window is open for their environment or job.
 */
@Extension
public class AndonPromotionFreezeCheck extends PromotionFreezeCheck {

    private final AndonFreezeCheck check =
            new AndonFreezeCheck(() -> AndonBoard.get().board());

    @Override
    public Answer check(String environment, String jobPath, String principal) {
        return check.check(environment, jobPath, principal);
    }
}
