package io.jenkins.plugins.releaseline.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Promotion asks the freeze board and tells telemetry only through interfaces it defines ({@code FreezeCheck},
 * {@code LedgerListener}); it never imports them, so that the packages depend one way.
 */
class PackageDependenciesTest {

    private static final Path MAIN = Path.of("src/main/java/io/jenkins/plugins/releaseline/engine");

    @Test
    void promotionImportsNeitherTheAndonBoardNorTelemetry() {
        // the other direction is there, which shows the scan reads the real sources
        assertThat(importsOf("telemetry")).anyMatch(line -> line.contains(".engine.promotion.LedgerListener;"));
        assertThat(importsOf("andon")).anyMatch(line -> line.contains(".engine.promotion.FreezeCheck;"));

        assertThat(importsOf("promotion"))
                .isNotEmpty()
                .noneMatch(line -> line.contains(".engine.andon") || line.contains(".engine.telemetry"));
    }

    private static List<String> importsOf(String pkg) {
        try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f).stream().filter(l -> l.startsWith("import "));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
