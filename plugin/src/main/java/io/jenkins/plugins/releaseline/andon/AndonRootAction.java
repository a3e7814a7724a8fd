package io.jenkins.plugins.releaseline.andon;

import hudson.Extension;
import hudson.model.RootAction;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.andon.AndonApi;
import io.jenkins.plugins.releaseline.engine.andon.AndonJson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * The Andon page at {@code /andon}: the page itself ({@code index.jelly} with the {@code andon.js} adjunct)
 * and its JSON API, {@code state} (GET), {@code pull}, {@code release} and {@code override} (POST with the crumb). Every
 * decision and every message is the engine's ({@link AndonApi}); this class checks permissions and
 * carries requests and answers.
 */
@Extension
public class AndonRootAction implements RootAction {

    private static final Logger LOGGER = Logger.getLogger(AndonRootAction.class.getName());

    static {
        // the permission group exists as soon as this extension loads
        AndonPermissions.GROUP.getId();
    }

    @Override
    public String getIconFileName() {
        return Jenkins.get().hasPermission(Jenkins.READ) ? "symbol-warning" : null;
    }

    @Override
    public String getDisplayName() {
        return Messages.RootAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "andon";
    }

    @Restricted(NoExternalUse.class)
    public boolean isCanPull() {
        return Jenkins.get().hasPermission(AndonPermissions.PULL);
    }

    @Restricted(NoExternalUse.class)
    public boolean isCanRelease() {
        return Jenkins.get().hasPermission(AndonPermissions.RELEASE);
    }

    /** The board as JSON, for the page. */
    public void doState(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        Jenkins.get().checkPermission(Jenkins.READ);
        send(rsp, call(AndonApi::state));
    }

    @RequirePOST
    public void doPull(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        if (!Jenkins.get().hasPermission(AndonPermissions.PULL)) {
            send(
                    rsp,
                    new AndonApi.Response(
                            HttpServletResponse.SC_FORBIDDEN, AndonJson.error(Messages.NoPullPermission())));
            return;
        }
        String who = ActingUser.id();
        send(rsp, call(api -> api.pull(who, req::getParameter)));
    }

    @RequirePOST
    public void doRelease(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        if (!Jenkins.get().hasPermission(AndonPermissions.RELEASE)) {
            send(
                    rsp,
                    new AndonApi.Response(
                            HttpServletResponse.SC_FORBIDDEN, AndonJson.error(Messages.NoReleasePermission())));
            return;
        }
        String who = ActingUser.id();
        send(rsp, call(api -> api.release(who, req::getParameter)));
    }

    /** Break glass: fields {@code freeze}, {@code build}, {@code reason}; needs the Override permission. */
    @RequirePOST
    public void doOverride(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        if (!Jenkins.get().hasPermission(AndonPermissions.OVERRIDE)) {
            send(
                    rsp,
                    new AndonApi.Response(
                            HttpServletResponse.SC_FORBIDDEN, AndonJson.error(Messages.NoOverridePermission())));
            return;
        }
        String who = ActingUser.id();
        send(rsp, call(api -> api.override(who, req::getParameter)));
    }

    private interface ApiCall {
        AndonApi.Response run(AndonApi api);
    }

    private static AndonApi.Response call(ApiCall call) {
        try {
            return call.run(AndonService.get().api());
        } catch (RuntimeException e) {
            // the board could not be opened (store unreachable or misconfigured)
            LOGGER.log(Level.WARNING, "The Andon board is unavailable", e);
            return new AndonApi.Response(
                    HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    AndonJson.error(Messages.BoardUnavailable(e.getMessage())));
        }
    }

    private static void send(StaplerResponse2 rsp, AndonApi.Response r) throws IOException {
        rsp.setStatus(r.status());
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setHeader("Cache-Control", "no-store");
        byte[] body = r.json().getBytes(StandardCharsets.UTF_8);
        rsp.getOutputStream().write(body);
    }
}
