package io.jenkins.plugins.releaseline.engine.andon;

import java.util.List;

/**
 * The board's answer to "may this work go ahead?": allowed, or blocked by one or more freezes with their
 * reasons. {@link #ALLOWED} is one shared instance, and a work item blocked by a single freeze gets that
 * freeze's shared instance, so the queue's hot path allocates nothing in the usual cases.
 */
public final class Decision {

    public static final Decision ALLOWED = new Decision(List.of());

    private final List<Blocker> blockers;
    private final String message;

    Decision(List<Blocker> blockers) {
        this.blockers = List.copyOf(blockers);
        this.message = message(this.blockers);
    }

    public boolean allowed() {
        return blockers.isEmpty();
    }

    public boolean blocked() {
        return !blockers.isEmpty();
    }

    /** The freezes holding the work back, oldest first; empty when allowed. */
    public List<Blocker> blockers() {
        return blockers;
    }

    /** What a user sees: "Line stopped by freeze-12 (environment:prod) pulled by alice: ..." or "allowed". */
    public String message() {
        return message;
    }

    private static String message(List<Blocker> blockers) {
        if (blockers.isEmpty()) {
            return "allowed";
        }
        StringBuilder sb = new StringBuilder("Line stopped by ");
        for (int i = 0; i < blockers.size(); i++) {
            if (i > 0) {
                sb.append("; and by ");
            }
            sb.append(blockers.get(i).describe());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return message;
    }
}
