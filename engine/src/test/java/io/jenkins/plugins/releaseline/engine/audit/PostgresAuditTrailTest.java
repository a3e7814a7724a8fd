package io.jenkins.plugins.releaseline.engine.audit;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;

class PostgresAuditTrailTest extends AuditTrailContract {
    @Override
    StoreTarget newTarget() {
        return StoreTarget.postgres();
    }
}
