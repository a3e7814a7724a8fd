package io.jenkins.plugins.releaseline.toggles;

import hudson.Util;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.toggles.EnvironmentSetting;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.FlagdExport;
import io.jenkins.plugins.releaseline.engine.toggles.FlagdExportServer;
import io.jenkins.plugins.releaseline.engine.toggles.StaleToggle;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleState;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;
import org.kohsuke.stapler.verb.GET;

/**
 * The "Feature toggles" page ({@code /release-line/toggles/}): toggles by environments with flip and kill buttons,
 * rollout percentages, the stale list, history per toggle; and the flagd exports
 * ({@code /release-line/toggles/<environment>.flagd.json}) for applications. Decisions are the engine's.
 */
public class TogglesPage {

    @Restricted(NoExternalUse.class)
    public FeatureToggles getEngine() {
        return ToggleService.get().toggles();
    }

    /** One row of the grid: a toggle and its setting per environment, in the environments' order. */
    @Restricted(NoExternalUse.class)
    public record Row(ToggleState toggle, List<Cell> cells) {
        public String getKey() {
            return toggle.key();
        }

        public String getDescription() {
            return toggle.definition().description();
        }

        public String getOwner() {
            return toggle.definition().owner();
        }

        public List<Cell> getCells() {
            return cells;
        }
    }

    /** One toggle in one environment, as the page shows it. */
    @Restricted(NoExternalUse.class)
    public record Cell(String environment, EnvironmentSetting setting, String summary) {
        public String getEnvironment() {
            return environment;
        }

        public boolean isEnabled() {
            return setting.enabled();
        }

        public boolean isKilled() {
            return setting.killed();
        }

        public String getSummary() {
            return summary;
        }

        /** The share of targeting keys served "on" (boolean toggles) when no rule matches. */
        public int getPercentage() {
            return (int) Math.round(setting.percentServed("on"));
        }
    }

    @Restricted(NoExternalUse.class)
    public List<String> getEnvironments() {
        Jenkins.get().checkPermission(TogglePermissions.VIEW);
        return getEngine().environments();
    }

    @Restricted(NoExternalUse.class)
    public List<Row> getRows() {
        Jenkins.get().checkPermission(TogglePermissions.VIEW);
        FeatureToggles engine = getEngine();
        List<Row> rows = new ArrayList<>();
        for (ToggleState t : engine.toggles()) {
            List<Cell> cells = new ArrayList<>();
            for (String env : engine.environments()) {
                EnvironmentSetting s = t.setting(env);
                cells.add(new Cell(env, s, summary(s)));
            }
            rows.add(new Row(t, cells));
        }
        return rows;
    }

    private static String summary(EnvironmentSetting s) {
        if (s.killed()) {
            return Messages.TogglesPage_Killed();
        }
        if (!s.enabled()) {
            return Messages.TogglesPage_Off();
        }
        String base = s.rollout() == null
                ? Messages.TogglesPage_Serves(s.defaultVariant())
                : Messages.TogglesPage_Rollout(s.rollout().percentage(), s.defaultVariant());
        return s.rules().isEmpty()
                ? base
                : Messages.TogglesPage_WithRules(base, s.rules().size());
    }

    @Restricted(NoExternalUse.class)
    public List<StaleToggle> getStale() {
        Jenkins.get().checkPermission(TogglePermissions.VIEW);
        return getEngine()
                .stale(Duration.ofDays(FeatureTogglesConfiguration.get().getStaleAfterDays()));
    }

    @Restricted(NoExternalUse.class)
    public int getStaleAfterDays() {
        return FeatureTogglesConfiguration.get().getStaleAfterDays();
    }

    @Restricted(NoExternalUse.class)
    public boolean isManager() {
        return Jenkins.get().hasPermission(TogglePermissions.MANAGE);
    }

    /** {@code history/<key>}: the audit records of one toggle. */
    public ToggleHistory getHistory(String key) {
        Jenkins.get().checkPermission(TogglePermissions.VIEW);
        try {
            return new ToggleHistory(key, getEngine().history(key, 200));
        } catch (IllegalArgumentException e) {
            return null; // not a toggle key: 404
        }
    }

    /** Turns a toggle on or off in one environment. */
    @RequirePOST
    public HttpResponse doFlip(
            @QueryParameter String key,
            @QueryParameter String environment,
            @QueryParameter boolean enabled,
            @QueryParameter String reason) {
        Jenkins.get().checkPermission(TogglePermissions.MANAGE);
        return change(
                () -> getEngine().set(ActingUser.id(), key, environment, enabled, null, Util.fixEmptyAndTrim(reason)));
    }

    /** The kill switch: off at once, with a reason. */
    @RequirePOST
    public HttpResponse doKill(
            @QueryParameter String key, @QueryParameter String environment, @QueryParameter String reason) {
        Jenkins.get().checkPermission(TogglePermissions.MANAGE);
        return change(() -> getEngine().kill(ActingUser.id(), key, environment, reason));
    }

    /** Sets the share of targeting keys that get the toggle (0 to 100). */
    @RequirePOST
    public HttpResponse doRollout(
            @QueryParameter String key,
            @QueryParameter String environment,
            @QueryParameter String percentage,
            @QueryParameter String reason) {
        Jenkins.get().checkPermission(TogglePermissions.MANAGE);
        Integer p;
        try {
            p = Integer.valueOf(Util.fixNull(percentage).trim());
        } catch (NumberFormatException e) {
            return HttpResponses.errorWithoutStack(
                    HttpServletResponse.SC_BAD_REQUEST,
                    "percentage: '" + percentage + "' is not a whole number from 0 to 100");
        }
        return change(() -> getEngine().set(ActingUser.id(), key, environment, null, p, Util.fixEmptyAndTrim(reason)));
    }

    /** Deletes a toggle everywhere, once its code is gone (the stale list says when). */
    @RequirePOST
    public HttpResponse doDelete(@QueryParameter String key, @QueryParameter String reason) {
        Jenkins.get().checkPermission(TogglePermissions.MANAGE);
        return change(() -> getEngine().delete(ActingUser.id(), key, Util.fixEmptyAndTrim(reason)));
    }

    private static HttpResponse change(Runnable change) {
        try {
            change.run();
            return HttpResponses.ok();
        } catch (IllegalArgumentException e) {
            return HttpResponses.errorWithoutStack(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        }
    }

    /**
     * {@code <environment>.flagd.json}: the flagd export, with a strong ETag and 304 when {@code If-None-Match} matches.
     * Readable with the environment's token (Authorization: Bearer), or by users with the configured permission.
     */
    @GET
    public void doDynamic(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        String name = Util.fixNull(req.getRestOfPath());
        if (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (!name.endsWith(FlagdExportServer.SUFFIX) || name.contains("/")) {
            rsp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String environment = name.substring(0, name.length() - FlagdExportServer.SUFFIX.length());
        if (!mayRead(environment, req.getHeader("Authorization"))) {
            rsp.setHeader("WWW-Authenticate", "Bearer realm=\"release-line-toggles\"");
            rsp.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        FeatureToggles engine = getEngine();
        if (!engine.environments().contains(environment)) {
            rsp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        FlagdExport export = FlagdExport.of(engine.snapshot(), environment);
        rsp.setHeader("ETag", export.etag());
        rsp.setHeader("Cache-Control", "no-cache");
        String ifNoneMatch = req.getHeader("If-None-Match");
        if (ifNoneMatch != null && FlagdExportServer.matches(ifNoneMatch, export.etag())) {
            rsp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] body = export.json();
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setContentLength(body.length);
        try (OutputStream out = rsp.getOutputStream()) {
            out.write(body);
        }
    }

    private static boolean mayRead(String environment, String authorization) {
        FeatureTogglesConfiguration config = FeatureTogglesConfiguration.get();
        String token = config.tokenFor(environment);
        if (token != null && authorization != null && authorization.startsWith("Bearer ")) {
            byte[] given = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return switch (config.getExportAccess()) {
            case OVERALL_READ -> Jenkins.get().hasPermission(Jenkins.READ);
            case VIEW_TOGGLES -> Jenkins.get().hasPermission(TogglePermissions.VIEW);
            case TOKEN_ONLY -> false;
        };
    }
}
