package io.jenkins.plugins.releaseline.promotion;

import io.jenkins.plugins.releaseline.engine.promotion.Deployment;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** What runs in an environment, as {@code /release-line/api/json} shows it. */
@ExportedBean(defaultVisibility = 2)
public class ExportedDeployment {

    private final Deployment d;

    ExportedDeployment(Deployment d) {
        this.d = d;
    }

    @Exported
    public String getArtifact() {
        return d.artifact().name();
    }

    @Exported
    public String getVersion() {
        return d.artifact().version();
    }

    @Exported
    public String getDigest() {
        return d.artifact().digest().value();
    }

    @Exported
    public long getPromotionId() {
        return d.promotionId();
    }

    /** Epoch milliseconds. */
    @Exported
    public long getSince() {
        return d.since().toEpochMilli();
    }

    @Exported
    public String getPromotedBy() {
        return d.by();
    }

    @Exported
    public String getBuildUrl() {
        return d.buildLink();
    }

    @Exported
    public boolean isRollback() {
        return d.rollback();
    }
}
