package io.jenkins.plugins.releaseline.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real file system: a replaced file keeps its mode (a reader running as another user keeps reading it). */
class AtomicFileTest {

    @TempDir Path folder;

    @Test
    void aWorldReadableFileStaysWorldReadable() throws Exception {
        Path flags = folder.resolve("flags.json");
        Files.writeString(flags, "{}");
        Files.setPosixFilePermissions(flags, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFile.replace(flags, "{\"flags\":{}}".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(flags)).isEqualTo("{\"flags\":{}}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(flags))).isEqualTo("rw-r--r--");
    }

    @Test
    void aPrivateFileStaysPrivateAndAnOddModeIsKept() throws Exception {
        Path secret = folder.resolve("secret.json");
        Files.writeString(secret, "a");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        AtomicFile.replace(secret, "b".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");

        Path shared = folder.resolve("shared.json");
        Files.writeString(shared, "a");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFile.replace(shared, "b".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-rw-r--");
        assertThat(Files.getOwner(shared)).isEqualTo(Files.getOwner(folder));
    }

    @Test
    void aNewFileGetsTheModeOfAnyNewFileNotAPrivateOne() throws Exception {
        Path plain = folder.resolve("plain.json");
        Files.write(plain, new byte[] {1}); // what the umask gives a file written the ordinary way
        Path created = folder.resolve("sub/flags.json");

        AtomicFile.replace(created, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.getPosixFilePermissions(created)).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(Files.readString(created)).isEqualTo("{}");
        assertThat(folder.resolve("sub")).isDirectoryNotContaining("glob:**.tmp");
    }
}
