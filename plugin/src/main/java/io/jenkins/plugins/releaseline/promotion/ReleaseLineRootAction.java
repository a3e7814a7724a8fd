package io.jenkins.plugins.releaseline.promotion;

import hudson.Extension;
import hudson.Util;
import hudson.model.Api;
import hudson.model.UnprotectedRootAction;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.promotion.Deployment;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentDiff;
import io.jenkins.plugins.releaseline.engine.promotion.LockHolder;
import io.jenkins.plugins.releaseline.engine.promotion.PendingApproval;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.telemetry.DeliveryPerformanceAction;
import io.jenkins.plugins.releaseline.toggles.TogglesPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * {@code /release-line/}: one column per environment (what runs there, since when, who promoted it, its lock and
 * queue), the promotions waiting for approvers, per-artifact history ({@code artifact/<name>}), an environment's
 * ledger ({@code environment/<name>}) and the diff of two environments ({@code diff?from=staging&to=prod}). The same
 * board is exported at {@code /release-line/api/json}.
 */
@Extension
@ExportedBean
public class ReleaseLineRootAction implements UnprotectedRootAction {

    public static final int PAGE = 100;

    // The one action at /release-line: Jenkins routes a URL to the first root action of that name, so the
    // capabilities below it hang off this one. Unprotected because applications read a toggle export with an
    // environment's token and no Jenkins account; every getter and doX here and below checks its own permission.
    private final TogglesPage toggles = new TogglesPage();
    private final DeliveryPerformanceAction performance = new DeliveryPerformanceAction();

    /** {@code /release-line/toggles/}: the Feature toggles page and the flagd exports (they check their own permissions). */
    public TogglesPage getToggles() {
        return toggles;
    }

    /** {@code /release-line/performance/}: DORA figures per environment with the 90-day trend. */
    public DeliveryPerformanceAction getPerformance() {
        Jenkins.get().checkPermission(Jenkins.READ);
        return performance;
    }

    /** {@code /release-line/prometheus}: the metrics in the Prometheus text format. */
    public void doPrometheus(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        performance.doPrometheus(req, rsp);
    }

    /** {@code /release-line/dora}: the DORA page's data. */
    public void doDora(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        performance.doDora(req, rsp);
    }

    /** {@code /release-line/postmortem?kind=freeze|rollback&id=N}: a postmortem starter to download. */
    public void doPostmortem(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        performance.doPostmortem(req, rsp);
    }

    @Override
    public String getIconFileName() {
        return Jenkins.get().hasPermission(Jenkins.READ) ? "symbol-arrow-up" : null;
    }

    @Override
    public String getDisplayName() {
        return Messages.ReleaseLineRootAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "release-line";
    }

    public Api getApi() {
        Jenkins.get().checkPermission(Jenkins.READ);
        return new Api(this);
    }

    @Exported
    public List<ExportedEnvironment> getEnvironments() {
        Jenkins.get().checkPermission(Jenkins.READ);
        PromotionEngine engine = PromotionService.get().engine();
        Map<String, List<Deployment>> now = engine.current();
        List<LockHolder> locks = engine.locks();
        List<ExportedEnvironment> out = new ArrayList<>();
        for (Environment e : engine.environments().environments()) {
            LockHolder lock = locks.stream()
                    .filter(l -> l.environment().equals(e.name()))
                    .findFirst()
                    .orElse(null);
            out.add(new ExportedEnvironment(e, now.getOrDefault(e.name(), List.of()), lock, engine.queue(e.name())));
        }
        return out;
    }

    @Exported
    public List<ExportedPromotion> getPendingApprovals() {
        Jenkins.get().checkPermission(Jenkins.READ);
        return PromotionService.get().engine().pendingApprovals().stream()
                .map(ExportedPromotion::new)
                .toList();
    }

    @Restricted(NoExternalUse.class)
    public List<PendingApproval> getPending() {
        return PromotionService.get().engine().pendingApprovals();
    }

    @Restricted(NoExternalUse.class)
    public boolean mayApprove(Promotion p) {
        return Jenkins.get().hasPermission(PromotionPermissions.APPROVE) && Answers.mayApprove(p);
    }

    /** {@code /release-line/artifact/<name>}: one artifact's ledger across environments. */
    public LedgerPage getArtifact(String name) {
        Jenkins.get().checkPermission(Jenkins.READ);
        return new LedgerPage(
                Messages.ReleaseLineRootAction_ArtifactHistory(name),
                PromotionService.get().engine().artifactHistory(name, 0, PAGE));
    }

    /** {@code /release-line/environment/<name>}: one environment's ledger. */
    public LedgerPage getEnvironment(String name) {
        Jenkins.get().checkPermission(Jenkins.READ);
        PromotionEngine engine = PromotionService.get().engine();
        try {
            engine.environments().require(name);
        } catch (IllegalArgumentException e) {
            throw HttpResponses.errorWithoutStack(404, e.getMessage());
        }
        return new LedgerPage(Messages.ReleaseLineRootAction_EnvironmentHistory(name), engine.history(name, 0, PAGE));
    }

    /** For {@code diff.jelly}: the environments compared, from the query or the last two of the line. */
    @Restricted(NoExternalUse.class)
    public EnvironmentDiff diff(String from, String to) {
        Jenkins.get().checkPermission(Jenkins.READ);
        PromotionEngine engine = PromotionService.get().engine();
        List<String> names = engine.environments().names();
        String a = Util.fixEmpty(from) != null ? from : names.get(Math.max(0, names.size() - 2));
        String b = Util.fixEmpty(to) != null ? to : names.get(names.size() - 1);
        try {
            return engine.diff(a, b);
        } catch (IllegalArgumentException e) {
            throw HttpResponses.errorWithoutStack(400, e.getMessage());
        }
    }

    @Restricted(NoExternalUse.class)
    public List<String> getEnvironmentNames() {
        return PromotionService.get().engine().environments().names();
    }

    @RequirePOST
    public HttpResponse doApprove(@QueryParameter long id, @QueryParameter String comment) {
        Jenkins.get().checkPermission(PromotionPermissions.APPROVE);
        try {
            Answers.approve(id, comment);
        } catch (IllegalArgumentException e) {
            return HttpResponses.errorWithoutStack(400, e.getMessage());
        }
        return HttpResponses.redirectToDot();
    }

    @RequirePOST
    public HttpResponse doReject(@QueryParameter long id, @QueryParameter String comment) {
        Jenkins.get().checkPermission(PromotionPermissions.APPROVE);
        try {
            Answers.reject(id, comment);
        } catch (IllegalArgumentException e) {
            return HttpResponses.errorWithoutStack(400, e.getMessage());
        }
        return HttpResponses.redirectToDot();
    }

    /** Frees a deploy lock whose build is gone; its holder is recorded as failed. */
    @RequirePOST
    public HttpResponse doReleaseLock(@QueryParameter String environment, @QueryParameter String reason) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            PromotionService.get().engine().releaseLock(environment, ActingUser.id(), reason);
        } catch (IllegalArgumentException e) {
            return HttpResponses.errorWithoutStack(400, e.getMessage());
        }
        PromotionService.nudgeWaitingSteps();
        return HttpResponses.redirectToDot();
    }
}
