package io.jenkins.plugins.releaseline.engine.toggles;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2FeatureTogglesTest extends FeatureTogglesContract {
    @TempDir
    Path folder;

    @Override
    StoreTarget newTarget() {
        return StoreTarget.h2(folder);
    }
}
