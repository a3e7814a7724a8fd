package io.jenkins.plugins.releaseline.rollout.canary;

import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.RunningDrivers;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryTimeline;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * A canary rollout's page on its build: the steps, the weight over time and every analysis as a chart (from
 * {@code data}, a JSON document), and the buttons Pause, Resume, Promote now and Abort. Pause and Abort need the
 * job's Cancel permission; Resume and Promote now need Build. Everything shown and done is the engine's.
 */
public class CanaryAction implements RunAction2 {

    private static final Logger LOGGER = Logger.getLogger(CanaryAction.class.getName());

    private final String rolloutId;
    private final int number;
    private transient Run<?, ?> run;

    public CanaryAction(String rolloutId, int number) {
        this.rolloutId = rolloutId;
        this.number = number;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public String getRolloutId() {
        return rolloutId;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-analytics";
    }

    @Override
    public String getDisplayName() {
        return number == 1 ? "Canary" : "Canary " + number;
    }

    @Override
    public String getUrlName() {
        return number == 1 ? "canary" : "canary-" + number;
    }

    /** For the page: the timeline, or null when the store cannot be read (the page says so). */
    @Restricted(NoExternalUse.class)
    public CanaryTimeline getTimeline() {
        try {
            CanaryController controller = CanaryService.get().controller();
            Optional<CanaryRollout> r = controller.find(rolloutId);
            return r.map(rollout -> CanaryTimeline.of(rollout, controller.events(rolloutId)))
                    .orElse(null);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not read canary " + rolloutId, e);
            return null;
        }
    }

    /** For the page: whether to show the buttons at all. */
    @Restricted(NoExternalUse.class)
    public boolean isControllable() {
        CanaryTimeline t = getTimeline();
        return t != null
                && !t.state().equals("SUCCEEDED")
                && !t.state().equals("ROLLED_BACK")
                && !t.state().equals("ABORTED")
                && (run.hasPermission(Item.CANCEL) || run.hasPermission(Item.BUILD));
    }

    /** The timeline as JSON, for the chart. */
    public void doData(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.READ);
        CanaryTimeline t = getTimeline();
        if (t == null) {
            rsp.sendError(
                    HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "the Release Line store cannot be read; see the system log");
            return;
        }
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setHeader("Cache-Control", "no-cache");
        rsp.getWriter().write(t.toJson());
    }

    @RequirePOST
    public void doPause(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.CANCEL);
        act(rsp, () -> CanaryService.get().controller().pause(rolloutId, ActingUser.id(), req.getParameter("reason")));
    }

    @RequirePOST
    public void doResume(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.BUILD);
        act(
                rsp,
                () -> CanaryService.get().controller().unpause(rolloutId, ActingUser.id(), req.getParameter("reason")));
    }

    @RequirePOST
    public void doPromote(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.BUILD);
        act(
                rsp,
                () -> CanaryService.get().controller().promote(rolloutId, ActingUser.id(), req.getParameter("reason")));
    }

    /** Records the abort; the build's driver then sends the traffic back to stable (the router, or the block). */
    @RequirePOST
    public void doAbort(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.CANCEL);
        act(
                rsp,
                () -> CanaryService.get()
                        .controller()
                        .abort(rolloutId, ActingUser.id(), req.getParameter("reason"), null));
    }

    private interface Change {
        CanaryRollout run();
    }

    private void act(StaplerResponse2 rsp, Change change) throws IOException {
        CanaryRollout r;
        try {
            r = change.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            rsp.sendError(HttpServletResponse.SC_CONFLICT, e.getMessage());
            return;
        }
        RunningDrivers.wake(rolloutId);
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.getWriter().write("{\"state\":\"" + r.state() + "\"}");
    }
}
