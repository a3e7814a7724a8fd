package io.jenkins.plugins.releaseline.telemetry;

import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.telemetry.PostmortemStarter;
import java.io.IOException;
import java.util.List;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * On the page of a build whose failure pulled a freeze, or that deployed a rollback: links to their postmortem
 * starters. Hidden on every other build.
 */
public class PostmortemBuildAction implements Action {

    private final Run<?, ?> run;
    private final List<PostmortemStarter.Available> available;

    PostmortemBuildAction(Run<?, ?> run, List<PostmortemStarter.Available> available) {
        this.run = run;
        this.available = List.copyOf(available);
    }

    @Override
    public String getIconFileName() {
        return available.isEmpty() ? null : "symbol-document-text";
    }

    @Override
    public String getDisplayName() {
        return Messages.PostmortemBuildAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return available.isEmpty() ? null : "release-line-postmortem";
    }

    @Restricted(NoExternalUse.class)
    public List<PostmortemStarter.Available> getAvailable() {
        return available;
    }

    @Restricted(NoExternalUse.class)
    public Run<?, ?> getRun() {
        return run;
    }

    /** Downloads one of this build's starters; only those the build page offers. */
    public void doDownload(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.READ);
        String kind = req.getParameter("kind");
        String id = req.getParameter("id");
        boolean offered = available.stream()
                .anyMatch(a -> a.kind().equals(kind) && Long.toString(a.id()).equals(id));
        if (!offered) {
            rsp.sendError(404, Messages.PostmortemBuildAction_NotOffered());
            return;
        }
        DeliveryPerformanceAction.sendPostmortem(kind, id, rsp);
    }
}
