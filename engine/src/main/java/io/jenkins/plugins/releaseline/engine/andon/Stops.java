package io.jenkins.plugins.releaseline.engine.andon;

import java.util.Locale;

/** What a freeze stops in its scope. */
public enum Stops {
    /** Deployments and promotions; ordinary builds and tests go on. */
    DEPLOYMENTS,
    /** Every build of the scope. */
    ALL_BUILDS;

    public boolean blocks(WorkKind kind) {
        return this == ALL_BUILDS || kind != WorkKind.BUILD;
    }

    public String label() {
        return this == ALL_BUILDS ? "all builds" : "deployments and promotions";
    }

    /** {@code deployments} or {@code all-builds} (also the enum names); anything else is refused. */
    public static Stops parse(String text) {
        if (text == null || text.isBlank()) {
            return DEPLOYMENTS;
        }
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (t.equals("deployments")) {
            return DEPLOYMENTS;
        }
        if (t.equals("all-builds")) {
            return ALL_BUILDS;
        }
        throw new IllegalArgumentException("stops: '" + text + "' is neither 'deployments' nor 'all-builds'");
    }

    public String text() {
        return this == ALL_BUILDS ? "all-builds" : "deployments";
    }
}
