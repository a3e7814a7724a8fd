package io.jenkins.plugins.releaseline.promotion;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.promotion.Approval;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.LedgerEntry;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * On each build that promoted something: what it promoted where, every gate's verdict, the ledger, and, while a
 * promotion waits for approvers, the Approve / Reject form (like the {@code input} step's page).
 */
public class PromotionRunAction implements RunAction2 {

    private static final Logger LOGGER = Logger.getLogger(PromotionRunAction.class.getName());

    private final List<Long> promotionIds = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /** Adds {@code promotionId} to the build's action (creating it) and saves the build. */
    static void record(Run<?, ?> run, long promotionId) {
        PromotionRunAction action;
        synchronized (run) {
            action = run.getAction(PromotionRunAction.class);
            if (action == null) {
                action = new PromotionRunAction();
                run.addAction(action);
            }
        }
        if (!action.promotionIds.contains(promotionId)) {
            action.promotionIds.add(promotionId);
        }
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save " + run + " with promotion " + promotionId, e);
        }
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-arrow-up";
    }

    @Override
    public String getDisplayName() {
        return Messages.PromotionRunAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "release-line";
    }

    public List<Long> getPromotionIds() {
        return List.copyOf(promotionIds);
    }

    /** For the page: each promotion with its live verdicts (while it waits), approvals and ledger. */
    @Restricted(NoExternalUse.class)
    public List<View> getPromotions() {
        PromotionEngine engine = PromotionService.get().engine();
        boolean approver = run.getParent().hasPermission(PromotionPermissions.APPROVE);
        List<View> out = new ArrayList<>();
        for (long id : promotionIds) {
            Promotion p = engine.promotion(id);
            List<GateVerdict> verdicts = p.status() == PromotionStatus.REQUESTED
                    ? engine.evaluate(id).verdicts()
                    : List.of();
            out.add(new View(p, verdicts, engine.approvals(id), engine.entries(id), approver && Answers.mayApprove(p)));
        }
        return out;
    }

    /** One promotion as the page shows it. */
    @Restricted(NoExternalUse.class)
    public record View(
            Promotion promotion,
            List<GateVerdict> verdicts,
            List<Approval> approvals,
            List<LedgerEntry> entries,
            boolean mayApprove) {}

    @RequirePOST
    public HttpResponse doApprove(@QueryParameter long id, @QueryParameter String comment) {
        run.getParent().checkPermission(PromotionPermissions.APPROVE);
        requireOwn(id);
        try {
            Answers.approve(id, comment);
        } catch (IllegalArgumentException e) {
            return HttpResponses.errorWithoutStack(400, e.getMessage());
        }
        return HttpResponses.redirectToDot();
    }

    @RequirePOST
    public HttpResponse doReject(@QueryParameter long id, @QueryParameter String comment) {
        run.getParent().checkPermission(PromotionPermissions.APPROVE);
        requireOwn(id);
        try {
            Answers.reject(id, comment);
        } catch (IllegalArgumentException e) {
            return HttpResponses.errorWithoutStack(400, e.getMessage());
        }
        return HttpResponses.redirectToDot();
    }

    private void requireOwn(long id) {
        if (!promotionIds.contains(id)) {
            throw HttpResponses.errorWithoutStack(
                    404, Messages.PromotionRunAction_NotThisBuild(String.valueOf(id), run.getFullDisplayName()));
        }
    }

    @NonNull
    @Override
    public String toString() {
        return "PromotionRunAction" + promotionIds;
    }
}
