package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;

class PostgresPromotionTest extends PromotionContract {
    @Override
    StoreTarget newTarget() {
        return StoreTarget.postgres();
    }
}
