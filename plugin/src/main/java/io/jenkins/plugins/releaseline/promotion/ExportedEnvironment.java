package io.jenkins.plugins.releaseline.promotion;

import io.jenkins.plugins.releaseline.engine.promotion.Deployment;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.LockHolder;
import java.util.List;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** One environment: its rules, what runs there, who holds its deploy lock and who waits for it. */
@ExportedBean(defaultVisibility = 2)
public class ExportedEnvironment {

    private final Environment e;
    private final List<Deployment> deployments;
    private final LockHolder lock;
    private final List<Long> queue;

    ExportedEnvironment(Environment e, List<Deployment> deployments, LockHolder lock, List<Long> queue) {
        this.e = e;
        this.deployments = deployments;
        this.lock = lock;
        this.queue = queue;
    }

    @Exported
    public String getName() {
        return e.name();
    }

    @Exported
    public String getPromotesFrom() {
        return e.promotesFrom();
    }

    @Exported
    public long getSoakSeconds() {
        return e.soak().toSeconds();
    }

    @Exported
    public int getApprovalsRequired() {
        return e.approvals().required();
    }

    @Exported
    public List<ExportedDeployment> getDeployments() {
        return deployments.stream().map(ExportedDeployment::new).toList();
    }

    /** The promotion holding the deploy lock, or absent. */
    @Exported
    public Long getLockedBy() {
        return lock == null ? null : lock.promotionId();
    }

    @Exported
    public List<Long> getQueue() {
        return queue;
    }

    public Environment getEnvironment() {
        return e;
    }

    public List<Deployment> getDeploymentList() {
        return deployments;
    }

    public LockHolder getLock() {
        return lock;
    }
}
