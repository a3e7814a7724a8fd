package io.jenkins.plugins.releaseline.engine.andon;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;

class PostgresFreezeBoardTest extends FreezeBoardContract {
    @Override
    StoreTarget newTarget() {
        return StoreTarget.postgres();
    }
}
