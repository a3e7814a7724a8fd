package io.jenkins.plugins.releaseline.promotion;

import io.jenkins.plugins.releaseline.engine.promotion.LedgerEntry;
import java.util.List;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/** A page of ledger entries (an environment's, an artifact's), newest first. */
public final class LedgerPage {

    private final String title;
    private final List<LedgerEntry> entries;

    LedgerPage(String title, List<LedgerEntry> entries) {
        this.title = title;
        this.entries = entries;
    }

    public String getTitle() {
        return title;
    }

    @Restricted(NoExternalUse.class)
    public List<LedgerEntry> getEntries() {
        return entries;
    }
}
