package io.jenkins.plugins.releaseline.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link H2Migration} does around the migration itself: which URLs it touches, leftovers, foreign files. */
class H2MigrationTest {

    @TempDir Path folder;

    @Test
    void onlyFileUrlsAreMigratedOnACopy() {
        assertThat(H2Migration.fileOf("jdbc:h2:file:/var/lib/rl/store;WRITE_DELAY=0")).isEqualTo(Path.of("/var/lib/rl/store"));
        assertThat(H2Migration.fileOf("jdbc:h2:/var/lib/rl/store")).isEqualTo(Path.of("/var/lib/rl/store"));
        assertThat(H2Migration.fileOf("jdbc:h2:~/rl/store")).isEqualTo(Path.of(System.getProperty("user.home"), "rl/store"));
        assertThat(H2Migration.fileOf("jdbc:h2:mem:x")).isNull();
        assertThat(H2Migration.fileOf("jdbc:h2:tcp://db:9092/~/store")).isNull();
        assertThat(H2Migration.paramsOf("jdbc:h2:file:/s;A=1;B=2")).isEqualTo(";A=1;B=2");
    }

    @Test
    void aCopyLeftByAKilledMigrationIsDeletedAndTheStoreOpens() throws Exception {
        Path base = folder.resolve("store");
        Files.writeString(Path.of(base + H2Migration.COPY + H2Migration.SUFFIX), "half a copy");
        try (Store store = Store.open(StoreSettings.h2File(base, "test"))) {
            H2MigrationKillTest.assertFullyMigrated(store);
        }
        assertThat(folder).isDirectoryNotContaining("glob:**" + H2Migration.COPY + "*");
        try (Store again = Store.open(StoreSettings.h2File(base, "test"))) {
            H2MigrationKillTest.assertFullyMigrated(again);
        }
    }

    @Test
    void aFileThatIsNotAnH2StoreIsRefusedBeforeH2OpensIt() throws Exception {
        Path base = folder.resolve("flags");
        Files.writeString(Path.of(base + ".mv.db"), "{\"flags\":{}}\n");
        assertThatThrownBy(() -> Store.open(StoreSettings.h2File(base, "test")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(base + ".mv.db").hasMessageContaining("is not an H2 store");
        assertThat(Files.readString(Path.of(base + ".mv.db"))).as("left as it was").isEqualTo("{\"flags\":{}}\n");
    }
}
