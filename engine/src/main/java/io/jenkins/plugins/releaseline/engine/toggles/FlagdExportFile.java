package io.jenkins.plugins.releaseline.engine.toggles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Writes an export to a file atomically (a temporary file in the same folder, then a rename over the old one), so
 * that a flagd provider polling the file never reads half a document. Unchanged content is not rewritten.
 */
public final class FlagdExportFile {

    private FlagdExportFile() {}

    /**
     * Keeps one file per environment ({@code <environment>.flagd.json} in {@code folder}) up to date: written now
     * and after every change the engine sees, its own or (through its change watcher) another controller's.
     */
    public static void keepWritten(FeatureToggles toggles, Path folder) {
        Runnable writeAll = () -> {
            ToggleSnapshot snapshot = toggles.snapshot();
            for (String env : snapshot.environments()) {
                write(FlagdExport.of(snapshot, env), folder.resolve(env + FlagdExportServer.SUFFIX));
            }
        };
        writeAll.run();
        toggles.onChange(writeAll);
    }

    /** Writes {@code export} to {@code target}; returns false when the file already held exactly these bytes. */
    public static boolean write(FlagdExport export, Path target) {
        byte[] bytes = export.json();
        try {
            Path folder = target.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return false;
            }
            Path tmp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the flagd export of '" + export.environment() + "' to " + target, e);
        }
    }
}
