package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only {@code store init} creates a store; every other command refuses a path where there is none, and says where it looked. */
class StoreInitTest {

    @TempDir Path folder;

    @Test
    void aMistypedPathIsRefusedNamesThePathAndCreatesNothing() {
        Path missing = folder.resolve("nonexistent/dir/store");

        CliRun pull = CliRun.of("andon", "pull", "--scope", "environment:prod", "--reason", "r", "--store", missing.toString());

        assertThat(pull.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(pull.err()).contains("no store at " + missing + ".mv.db", "release-line store init --store " + missing);
        assertThat(folder.resolve("nonexistent")).doesNotExist();

        CliRun audit = CliRun.of("audit", "verify", "--store", missing.toString());
        assertThat(audit.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(audit.err()).contains("no store at " + missing + ".mv.db");
        assertThat(folder.resolve("nonexistent")).doesNotExist();
    }

    @Test
    void initCreatesTheStoreAndTheFolderThenCommandsUseIt() {
        Path store = folder.resolve("new/dir/store");

        CliRun init = CliRun.of("store", "init", "--store", store.toString());
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).contains("created store " + store + ".mv.db");
        assertThat(Path.of(store + ".mv.db")).isRegularFile();

        CliRun again = CliRun.of("store", "init", "--store", store.toString(), "-o", "json");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("\"created\" : false");

        CliRun pull = CliRun.of("andon", "pull", "--scope", "environment:prod", "--reason", "r", "--store", store.toString());
        assertThat(pull.exitCode()).as(pull.err()).isZero();
    }

    @Test
    void anEmptyStorePathIsRefused() {
        CliRun run = CliRun.of("andon", "status", "--store", "");
        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).contains("--store: empty");
        CliRun init = CliRun.of("store", "init", "--store", "");
        assertThat(init.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(init.err()).contains("--store: empty");
    }

    @Test
    void withoutJenkinsHomeThereIsNoDefaultUnderTheCurrentFolder() {
        StoreOptions options = new StoreOptions();
        options.controllerId = "cli";
        options.environment = Map.of();
        assertThat(options.defaultH2File()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(options::open)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JENKINS_HOME is not set").hasMessageContaining("--store FILE");

        options.environment = Map.of("JENKINS_HOME", folder.toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(options::open)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no store at " + folder.resolve("release-line/store.mv.db"))
                .hasMessageContaining("JENKINS_HOME=" + folder);
        assertThat(folder.resolve("release-line")).doesNotExist();
    }

    @Test
    void aFileThatIsNotAnH2StoreIsRefusedAtOnceAndSaysSo() throws Exception {
        Path store = folder.resolve("store");
        Files.writeString(Path.of(store + ".mv.db"), "{\"flags\": {}}\n");
        CliRun run = CliRun.of("andon", "status", "--store", store.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).contains("is not an H2 store", store + ".mv.db").doesNotContain("SQL");

        Path empty = folder.resolve("empty");
        Files.createFile(Path.of(empty + ".mv.db"));
        CliRun init = CliRun.of("store", "init", "--store", empty.toString());
        assertThat(init.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(init.err()).contains("is not an H2 store (it is empty)");
    }
}
