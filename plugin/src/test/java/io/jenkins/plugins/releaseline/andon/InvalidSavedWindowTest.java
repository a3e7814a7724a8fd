package io.jenkins.plugins.releaseline.andon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.ExtensionList;
import io.jenkins.plugins.releaseline.engine.andon.WorkKind;
import io.jenkins.plugins.releaseline.engine.andon.WorkScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A window saved before windows that never open were refused (its end fires whenever its start does) does not keep
 * the Andon board from opening after an upgrade: it is left out, administrators are told, and saving such a window
 * anew is refused.
 */
class InvalidSavedWindowTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aSavedWindowThatNeverOpensIsLeftOutAndShown() throws Throwable {
        sessions.then(r -> {
            AndonWindow good = new AndonWindow("weekend");
            good.setCronStart("0 23 * * 5");
            good.setCronEnd("0 7 * * 1");
            AndonWindow bad = new AndonWindow("never");
            bad.setCronStart("0 23 * * 5");
            bad.setCronEnd("0 22 * * 5");
            AndonConfiguration.get().setWindows(List.of(good, bad));
            // the way an older version saved it: the same minute written another way
            Path file = r.jenkins.getRootDir().toPath().resolve(AndonConfiguration.class.getName() + ".xml");
            String xml = Files.readString(file, StandardCharsets.UTF_8);
            Files.writeString(file, xml.replace("0 22 * * 5", "0 23 * * FRI"), StandardCharsets.UTF_8);
        });
        sessions.then(r -> {
            AndonConfiguration config = AndonConfiguration.get();
            assertEquals(2, config.getWindows().size(), "both windows stay saved, to be fixed by an administrator");
            assertEquals(1, config.toEngine().windows().size());
            InvalidWindowsMonitor monitor = ExtensionList.lookupSingleton(InvalidWindowsMonitor.class);
            assertTrue(monitor.isActivated());
            assertTrue(
                    monitor.getProblems().get(0).contains("never"),
                    monitor.getProblems().toString());
            assertTrue(AndonService.get()
                    .board()
                    .check(WorkScope.job("any"), WorkKind.BUILD)
                    .allowed());

            AndonWindow again = new AndonWindow("never-again");
            again.setCronStart("0 7 * * 1");
            again.setCronEnd("00 07 * * 1");
            assertThrows(IllegalArgumentException.class, () -> config.setWindows(List.of(again)));
            assertEquals(2, config.getWindows().size(), "a refused save changes nothing");
            assertFalse(config.getWindows().stream().anyMatch(w -> "never-again".equals(w.getName())));
        });
    }
}
