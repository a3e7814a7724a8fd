package io.jenkins.plugins.releaseline.engine.telemetry;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;

class PostgresDeliveryTelemetryTest extends DeliveryTelemetryContract {
    @Override
    StoreTarget newTarget() {
        return StoreTarget.postgres();
    }
}
