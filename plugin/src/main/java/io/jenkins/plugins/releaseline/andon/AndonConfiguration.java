package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.andon.AndonConfig;
import io.jenkins.plugins.releaseline.engine.andon.FreezeWindow;
import io.jenkins.plugins.releaseline.engine.andon.LineJob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Andon settings: line jobs (whose failure stops the line) with their release policy, and freeze windows.
 * The database is chosen in {@code ReleaseLineConfiguration}. In Configuration as Code:
 *
 * <pre>
 * unclassified:
 *   andon:
 *     lines:
 *       - jobPath: "team-a/payments/main"
 *         scope: "job:team-a"
 *         releasePolicy: "AUTO_RELEASE"
 *     windows:
 *       - name: "weekend"
 *         scope: "environment:prod"
 *         cronStart: "0 23 * * 5"
 *         cronEnd: "0 7 * * 1"
 *         timeZone: "Europe/Berlin"
 * </pre>
 */
@Extension
@Symbol("andon")
public class AndonConfiguration extends GlobalConfiguration {

    private static final Logger LOGGER = Logger.getLogger(AndonConfiguration.class.getName());

    private List<AndonLineJob> lines = new ArrayList<>();
    private List<AndonWindow> windows = new ArrayList<>();
    private transient volatile List<String> windowProblems;

    public AndonConfiguration() {
        load();
    }

    @NonNull
    public static AndonConfiguration get() {
        return ExtensionList.lookupSingleton(AndonConfiguration.class);
    }

    protected Object readResolve() {
        if (lines == null) {
            lines = new ArrayList<>();
        }
        if (windows == null) {
            windows = new ArrayList<>();
        }
        return this;
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.Configuration_DisplayName();
    }

    @NonNull
    public List<AndonLineJob> getLines() {
        return lines;
    }

    /** Refuses (with the engine's message) line jobs that cannot work, before anything is saved. */
    @DataBoundSetter
    public void setLines(List<AndonLineJob> lines) {
        List<AndonLineJob> next = lines == null ? new ArrayList<>() : new ArrayList<>(lines);
        toEngine(next, windows);
        this.lines = next;
        saveAndApply();
    }

    @NonNull
    public List<AndonWindow> getWindows() {
        return windows;
    }

    /** Refuses (with the engine's message) windows that cannot work, before anything is saved. */
    @DataBoundSetter
    public void setWindows(List<AndonWindow> windows) {
        List<AndonWindow> next = windows == null ? new ArrayList<>() : new ArrayList<>(windows);
        toEngine(lines, next);
        this.windows = next;
        saveAndApply();
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        try (BulkChange bc = new BulkChange(this)) {
            lines = new ArrayList<>();
            windows = new ArrayList<>();
            req.bindJSON(this, json);
            bc.commit();
        } catch (IllegalArgumentException e) {
            throw new FormException(e.getMessage(), e, "windows");
        } catch (IOException e) {
            throw new FormException("Could not save the Andon settings: " + e.getMessage(), e, "lines");
        }
        apply();
        return true;
    }

    /**
     * The engine's view of these settings as saved. A saved window that the engine no longer accepts (one that
     * never opens: its end fires whenever its start does, or its cron never fires) is left out with a warning
     * and shown to administrators, rather than keeping the whole board from opening; such a window never froze
     * anything. New or edited windows are checked when they are saved and refused there.
     */
    @NonNull
    public AndonConfig toEngine() {
        List<FreezeWindow> w = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (AndonWindow window : windows) {
            try {
                w.add(window.toEngine());
            } catch (IllegalArgumentException e) {
                problems.add(Messages.AndonConfiguration_WindowLeftOut(window.getName(), e.getMessage()));
                LOGGER.log(Level.WARNING, "Freeze window {0} is not applied: {1}", new Object[] {
                    window.getName(), e.getMessage()
                });
            }
        }
        List<LineJob> l = new ArrayList<>();
        for (AndonLineJob line : lines) {
            l.add(line.toEngine());
        }
        windowProblems = List.copyOf(problems);
        return new AndonConfig(l, w);
    }

    /** The saved windows left out of the board, each with why; empty when all apply. */
    @NonNull
    public List<String> getWindowProblems() {
        List<String> p = windowProblems;
        return p == null ? List.of() : p;
    }

    private static AndonConfig toEngine(List<AndonLineJob> lines, List<AndonWindow> windows) {
        List<LineJob> l = new ArrayList<>();
        for (AndonLineJob line : lines) {
            l.add(line.toEngine());
        }
        List<FreezeWindow> w = new ArrayList<>();
        for (AndonWindow window : windows) {
            w.add(window.toEngine());
        }
        return new AndonConfig(l, w);
    }

    private void saveAndApply() {
        save();
        if (!BulkChange.contains(this)) {
            apply();
        }
    }

    private void apply() {
        try {
            AndonService.get().freshBoard().configure(ActingUser.id(), toEngine());
        } catch (RuntimeException e) {
            // the store may be unreachable; the board applies the saved settings when it opens
            LOGGER.log(Level.WARNING, "Could not apply the Andon settings to the board now", e);
        }
    }
}
