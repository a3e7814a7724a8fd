package io.jenkins.plugins.releaseline.cli.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rehearsal's HAProxy leaves nothing behind in its folder's place: no process, no socket file. */
class HaproxyTest {

    @TempDir Path folder;

    @Test
    void stoppingRemovesTheAdminSocket() {
        try (SampleApp stable = SampleApp.start("stable", "1.0"); SampleApp canary = SampleApp.start("canary", "1.1")) {
            Haproxy haproxy = new Haproxy(Haproxy.BINARY, folder, stable, canary);
            try {
                assertThat(haproxy.socket()).exists();
                assertThat(haproxy.router().read().of("stable")).isEqualTo(100);
            } finally {
                haproxy.close();
            }
            assertThat(haproxy.socket()).doesNotExist();
            assertThat(folder).isDirectoryNotContaining("glob:**.sock");
        }
    }
}
