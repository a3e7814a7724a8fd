package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;

class PostgresPromotionDriverTest extends PromotionDriverContract {
    @Override
    StoreTarget newTarget() {
        return StoreTarget.postgres();
    }
}
