package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2CanaryControllerTest extends CanaryControllerContract {
    @TempDir
    Path folder;

    @Override
    StoreTarget newTarget() {
        return StoreTarget.h2(folder);
    }
}
