package io.jenkins.plugins.releaseline.telemetry;

import hudson.model.RootAction;
import io.jenkins.plugins.releaseline.engine.telemetry.DeliveryMetrics;
import io.jenkins.plugins.releaseline.engine.telemetry.PostmortemStarter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * {@code /release-line/performance/} (served by the promotion capability's {@code ReleaseLineRootAction}, which owns
 * {@code /release-line}): the delivery performance page (DORA figures per environment with a 90-day trend),
 * {@code /release-line/dora} (its JSON), {@code /release-line/prometheus} (the metrics in the Prometheus text
 * format) and {@code /release-line/postmortem?kind=freeze|rollback&id=N} (a postmortem starter to download).
 * Every endpoint reads; none changes anything. Each needs Overall/Read.
 */
public class DeliveryPerformanceAction implements RootAction {

    public static final String URL = "release-line";
    private static final Logger LOGGER = Logger.getLogger(DeliveryPerformanceAction.class.getName());

    @Override
    public String getIconFileName() {
        return Jenkins.get().hasPermission(Jenkins.READ) ? "symbol-analytics" : null;
    }

    @Override
    public String getDisplayName() {
        return Messages.DeliveryPerformanceAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return URL;
    }

    /** The Prometheus text exposition; scrape it with a user's API token when anonymous users cannot read. */
    public void doPrometheus(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        Jenkins.get().checkPermission(Jenkins.READ);
        String body = TelemetryService.get().metrics().render();
        rsp.setContentType(DeliveryMetrics.CONTENT_TYPE);
        rsp.setHeader("Cache-Control", "no-store");
        try (PrintWriter w = rsp.getWriter()) {
            w.write(body);
        }
    }

    /** The page's data: every environment, or those named by {@code environment} parameters; days in the server's zone. */
    public void doDora(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        Jenkins.get().checkPermission(Jenkins.READ);
        String[] named = req.getParameterValues("environment");
        String json;
        try {
            json = TelemetryService.get()
                    .page()
                    .json(named == null ? List.of() : List.of(named), ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            rsp.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setHeader("Cache-Control", "no-store");
        try (PrintWriter w = rsp.getWriter()) {
            w.write(json);
        }
    }

    /** Downloads the postmortem starter of a freeze or a rollback as Markdown. */
    public void doPostmortem(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        Jenkins.get().checkPermission(Jenkins.READ);
        sendPostmortem(req.getParameter("kind"), req.getParameter("id"), rsp);
    }

    static void sendPostmortem(String kind, String id, StaplerResponse2 rsp) throws IOException {
        String markdown;
        long number;
        try {
            number = Long.parseLong(id == null ? "" : id.strip());
        } catch (NumberFormatException e) {
            rsp.sendError(HttpServletResponse.SC_BAD_REQUEST, Messages.DeliveryPerformanceAction_BadId());
            return;
        }
        try {
            markdown = TelemetryService.get().postmortems().starter(kind, number);
        } catch (IllegalArgumentException e) {
            LOGGER.log(Level.FINE, "No postmortem starter for " + kind + " " + id, e);
            rsp.sendError(HttpServletResponse.SC_NOT_FOUND, e.getMessage());
            return;
        }
        rsp.setContentType("text/markdown;charset=UTF-8");
        rsp.setHeader(
                "Content-Disposition", "attachment; filename=\"" + PostmortemStarter.fileName(kind, number) + "\"");
        try (PrintWriter w = rsp.getWriter()) {
            w.write(markdown);
        }
    }

    /** Recent freezes and rollbacks, for the page's download links. */
    @Restricted(NoExternalUse.class)
    public List<PostmortemStarter.Available> getRecentPostmortems() {
        return TelemetryService.get().postmortems().recent(20);
    }
}
