package io.jenkins.plugins.releaseline.engine.toggles;

import io.jenkins.plugins.releaseline.engine.store.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return false;
            }
            AtomicFile.replace(target, bytes);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the flagd export of '" + export.environment() + "' to " + target, e);
        }
    }
}
