package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;

class PostgresBlueGreenControllerTest extends BlueGreenControllerContract {
    @Override
    StoreTarget target() {
        return StoreTarget.postgres();
    }
}
