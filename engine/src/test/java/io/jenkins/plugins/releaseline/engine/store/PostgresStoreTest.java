package io.jenkins.plugins.releaseline.engine.store;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;

class PostgresStoreTest extends StoreContract {
    @Override
    StoreTarget newTarget() {
        return StoreTarget.postgres();
    }
}
