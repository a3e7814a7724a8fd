package io.jenkins.plugins.releaseline.telemetry;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.store.StoreException;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.TransientActionFactory;

/** Offers {@link PostmortemBuildAction} on builds the ledger or the freeze board names. */
@Extension
public class PostmortemBuildActionFactory extends TransientActionFactory<Run> {

    private static final Logger LOGGER = Logger.getLogger(PostmortemBuildActionFactory.class.getName());

    @Override
    public Class<Run> type() {
        return Run.class;
    }

    @Override
    public Collection<? extends Action> createFor(Run target) {
        if (target.isBuilding()) {
            return List.of();
        }
        String root = Jenkins.get().getRootUrl();
        String link = (root == null ? "" : root) + target.getUrl();
        try {
            var available = TelemetryService.get()
                    .postmortems()
                    .forBuild(target.getParent().getFullName(), target.getExternalizableId(), link);
            return available.isEmpty() ? List.of() : List.of(new PostmortemBuildAction(target, available));
        } catch (StoreException | IllegalArgumentException e) {
            LOGGER.log(Level.FINE, "No postmortem lookup for " + target, e);
            return List.of();
        }
    }
}
