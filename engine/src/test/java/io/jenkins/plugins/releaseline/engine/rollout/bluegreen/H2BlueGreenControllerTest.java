package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2BlueGreenControllerTest extends BlueGreenControllerContract {
    @TempDir
    Path dir;

    @Override
    StoreTarget target() {
        return StoreTarget.h2(dir);
    }
}
