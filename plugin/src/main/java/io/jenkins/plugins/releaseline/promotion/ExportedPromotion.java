package io.jenkins.plugins.releaseline.promotion;

import io.jenkins.plugins.releaseline.engine.promotion.Approval;
import io.jenkins.plugins.releaseline.engine.promotion.PendingApproval;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import java.util.List;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** A promotion waiting for approvers, as {@code /release-line/api/json} shows it. */
@ExportedBean(defaultVisibility = 2)
public class ExportedPromotion {

    private final Promotion p;
    private final List<Approval> approvals;
    private final int required;

    ExportedPromotion(PendingApproval pending) {
        this.p = pending.promotion();
        this.approvals = pending.approvals();
        this.required = pending.rule().required();
    }

    @Exported
    public long getId() {
        return p.id();
    }

    @Exported
    public String getEnvironment() {
        return p.environment();
    }

    @Exported
    public String getArtifact() {
        return p.artifact().name();
    }

    @Exported
    public String getVersion() {
        return p.artifact().version();
    }

    @Exported
    public String getDigest() {
        return p.artifact().digest().value();
    }

    @Exported
    public String getRequestedBy() {
        return p.requestedBy();
    }

    @Exported
    public String getBuildUrl() {
        return p.buildLink();
    }

    @Exported
    public List<String> getApprovedBy() {
        return approvals.stream().map(Approval::approver).toList();
    }

    @Exported
    public int getApprovalsRequired() {
        return required;
    }
}
