package io.jenkins.plugins.releaseline.promotion;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;

/**
 * Where a freeze board (the Andon cord, freeze windows) plugs into promotion: an {@code @Extension} of this type is
 * asked by the freeze gate of every promotion. With none installed the gate says so and passes.
 */
public abstract class PromotionFreezeCheck implements ExtensionPoint, FreezeCheck {

    public static ExtensionList<PromotionFreezeCheck> all() {
        return ExtensionList.lookup(PromotionFreezeCheck.class);
    }
}
