package io.jenkins.plugins.releaseline.engine.toggles;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;

class PostgresFeatureTogglesTest extends FeatureTogglesContract {
    @Override
    StoreTarget newTarget() {
        return StoreTarget.postgres();
    }
}
