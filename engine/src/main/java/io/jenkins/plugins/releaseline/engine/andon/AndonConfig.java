package io.jenkins.plugins.releaseline.engine.andon;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The board's configuration: line jobs and scheduled windows. Comes from the controller's settings. */
public record AndonConfig(List<LineJob> lines, List<FreezeWindow> windows) {

    public static final AndonConfig EMPTY = new AndonConfig(List.of(), List.of());

    public AndonConfig {
        lines = List.copyOf(lines == null ? List.of() : lines);
        windows = List.copyOf(windows == null ? List.of() : windows);
        Set<String> names = new HashSet<>();
        for (FreezeWindow w : windows) {
            if (!names.add(w.name())) {
                throw new IllegalArgumentException("windows: two windows are named '" + w.name()
                        + "'; give each window its own name (overlapping windows are fine, each keeps its own)");
            }
        }
        Set<String> jobs = new HashSet<>();
        for (LineJob l : lines) {
            if (!jobs.add(l.jobPath())) {
                throw new IllegalArgumentException("lines: '" + l.jobPath() + "' is listed twice; list each line job once");
            }
        }
    }

    public LineJob line(String jobPath) {
        for (LineJob l : lines) {
            if (l.jobPath().equals(jobPath)) {
                return l;
            }
        }
        return null;
    }
}
