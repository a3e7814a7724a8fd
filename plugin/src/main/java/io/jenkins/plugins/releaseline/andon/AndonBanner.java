package io.jenkins.plugins.releaseline.andon;

import hudson.Extension;
import hudson.Util;
import hudson.model.PageDecorator;
import io.jenkins.plugins.releaseline.engine.andon.Blocker;
import io.jenkins.plugins.releaseline.engine.andon.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * A red banner on every page while any freeze is active: scope, who, how long ago, the reason (escaped by
 * Jelly), and a link to the Andon page. Reads the board's in-memory snapshot only.
 */
@Extension
public class AndonBanner extends PageDecorator {

    private static final Logger LOGGER = Logger.getLogger(AndonBanner.class.getName());

    /** One line of the banner. */
    @Restricted(NoExternalUse.class)
    public record Line(String key, String scope, String who, String ago, String reason) {
        public String getKey() {
            return key;
        }

        public String getScope() {
            return scope;
        }

        public String getWho() {
            return who;
        }

        public String getAgo() {
            return ago;
        }

        public String getReason() {
            return reason;
        }
    }

    /** The active freezes, oldest first; empty when the line runs, or for users who may not read Jenkins. */
    @Restricted(NoExternalUse.class)
    public List<Line> getLines() {
        if (!Jenkins.get().hasPermission(Jenkins.READ)) {
            return List.of();
        }
        List<Blocker> active;
        try {
            active = AndonBoard.get().board().activeBlockers();
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "No Andon banner: the board is unavailable", e);
            return List.of();
        }
        long now = System.currentTimeMillis();
        List<Line> lines = new ArrayList<>();
        for (Blocker b : active) {
            String who = b.origin() == Origin.WINDOW ? "schedule" : b.pulledBy();
            lines.add(new Line(
                    b.key(),
                    b.scope().toString(),
                    who,
                    Util.getTimeSpanString(Math.max(0, now - b.since().toEpochMilli())),
                    b.reason()));
        }
        return lines;
    }
}
