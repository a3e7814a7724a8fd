package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2PromotionDriverTest extends PromotionDriverContract {
    @TempDir
    Path folder;

    @Override
    StoreTarget newTarget() {
        return StoreTarget.h2(folder);
    }
}
