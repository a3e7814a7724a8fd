package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.PageDecorator;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.andon.Blocker;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.andon.Origin;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * A red banner on every page while any freeze is active: scope, who, how long ago, the reason (escaped by
 * Jelly), and a link to the Andon page. Reads the board's in-memory snapshot only, never the store: while the
 * store cannot be read it says so ("unavailable since T; freezes shown as of T") above the freezes last read,
 * and before the board could be read at all it shows no freezes, only that they are unknown.
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
        FreezeBoard board = AndonService.get().current();
        if (board == null) {
            return List.of();
        }
        List<Blocker> active;
        try {
            active = board.activeBlockers();
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

    /**
     * Why the freezes shown may be out of date: the store is unavailable since T (and the freezes shown are
     * those read at T), or the board was never read; null while the board matches the store.
     */
    @Restricted(NoExternalUse.class)
    @CheckForNull
    public String getStaleNotice() {
        if (!Jenkins.get().hasPermission(Jenkins.READ)) {
            return null;
        }
        FreezeBoard board = AndonService.get().current();
        if (board == null) {
            // never read since start-up: say so only when the store is known to be down, not while it opens
            Optional<Instant> since = ReleaseLineStore.get().availability().unavailableSince();
            return since.map(t -> Messages.Banner_StoreUnavailableUnknown(at(t)))
                    .orElse(null);
        }
        Optional<Instant> since = board.staleSince();
        if (since.isEmpty()) {
            return null;
        }
        String asOf = board.asOf().map(AndonBanner::at).orElse("?");
        return Messages.Banner_StoreUnavailable(at(since.get()), asOf);
    }

    private static String at(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS) + " ("
                + Util.getTimeSpanString(Math.max(0, System.currentTimeMillis() - t.toEpochMilli())) + " ago)";
    }
}
