package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;

class PostgresCanaryControllerTest extends CanaryControllerContract {
    @Override
    StoreTarget newTarget() {
        return StoreTarget.postgres();
    }
}
