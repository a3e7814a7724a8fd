package io.jenkins.plugins.releaseline.promotion;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalRule;
import io.jenkins.plugins.releaseline.engine.promotion.BranchPattern;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.LockPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** One environment as configured in the form and in Configuration as Code; the engine's {@link Environment} checks it. */
public class EnvironmentConfig implements Describable<EnvironmentConfig> {

    private final String name;
    private String promotesFrom;
    private int soakMinutes;
    private int approvals;
    private String approvers;
    private String approverGroups;
    private boolean separationOfDuties;
    private boolean deployLock = true;
    private LockPolicy lockPolicy = LockPolicy.WAIT;
    private String branches;
    private String promoters;

    @DataBoundConstructor
    public EnvironmentConfig(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    static EnvironmentConfig of(Environment e) {
        EnvironmentConfig c = new EnvironmentConfig(e.name());
        c.promotesFrom = e.promotesFrom();
        c.soakMinutes = (int) e.soak().toMinutes();
        c.approvals = e.approvals().required();
        c.approvers = Util.fixEmpty(String.join(", ", e.approvals().users()));
        c.approverGroups = Util.fixEmpty(String.join(", ", e.approvals().groups()));
        c.separationOfDuties = e.approvals().separationOfDuties();
        c.deployLock = e.deployLock();
        c.lockPolicy = e.lockPolicy();
        c.branches = Util.fixEmpty(
                String.join(", ", e.branches().stream().map(BranchPattern::glob).toList()));
        c.promoters = Util.fixEmpty(String.join(", ", e.promoters()));
        return c;
    }

    /** @throws IllegalArgumentException naming the field, when a value is invalid */
    @NonNull
    Environment toEnvironment() {
        return new Environment(
                name,
                promotesFrom,
                Duration.ofMinutes(soakMinutes),
                ApprovalRule.of(approvals, split(approvers), split(approverGroups), separationOfDuties),
                deployLock,
                lockPolicy,
                split(branches).stream().map(BranchPattern::new).toList(),
                split(promoters));
    }

    static Set<String> split(String list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null) {
            Arrays.stream(list.split("[,\\s]+"))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .forEach(out::add);
        }
        return out;
    }

    public String getName() {
        return name;
    }

    @CheckForNull
    public String getPromotesFrom() {
        return promotesFrom;
    }

    @DataBoundSetter
    public void setPromotesFrom(String promotesFrom) {
        this.promotesFrom = Util.fixEmptyAndTrim(promotesFrom);
    }

    public int getSoakMinutes() {
        return soakMinutes;
    }

    @DataBoundSetter
    public void setSoakMinutes(int soakMinutes) {
        this.soakMinutes = soakMinutes;
    }

    public int getApprovals() {
        return approvals;
    }

    @DataBoundSetter
    public void setApprovals(int approvals) {
        this.approvals = approvals;
    }

    @CheckForNull
    public String getApprovers() {
        return approvers;
    }

    @DataBoundSetter
    public void setApprovers(String approvers) {
        this.approvers = Util.fixEmptyAndTrim(approvers);
    }

    @CheckForNull
    public String getApproverGroups() {
        return approverGroups;
    }

    @DataBoundSetter
    public void setApproverGroups(String approverGroups) {
        this.approverGroups = Util.fixEmptyAndTrim(approverGroups);
    }

    public boolean isSeparationOfDuties() {
        return separationOfDuties;
    }

    @DataBoundSetter
    public void setSeparationOfDuties(boolean separationOfDuties) {
        this.separationOfDuties = separationOfDuties;
    }

    public boolean isDeployLock() {
        return deployLock;
    }

    @DataBoundSetter
    public void setDeployLock(boolean deployLock) {
        this.deployLock = deployLock;
    }

    public LockPolicy getLockPolicy() {
        return lockPolicy;
    }

    @DataBoundSetter
    public void setLockPolicy(LockPolicy lockPolicy) {
        this.lockPolicy = lockPolicy == null ? LockPolicy.WAIT : lockPolicy;
    }

    @CheckForNull
    public String getBranches() {
        return branches;
    }

    @DataBoundSetter
    public void setBranches(String branches) {
        this.branches = Util.fixEmptyAndTrim(branches);
    }

    /** Users or groups who may promote to this environment (checked against the build's starter); empty: everyone. */
    @CheckForNull
    public String getPromoters() {
        return promoters;
    }

    @DataBoundSetter
    public void setPromoters(String promoters) {
        this.promoters = Util.fixEmptyAndTrim(promoters);
    }

    /** Fills defaults for fields added after a configuration was saved. */
    protected Object readResolve() {
        if (lockPolicy == null) {
            lockPolicy = LockPolicy.WAIT;
        }
        return this;
    }

    @Extension
    @Symbol("environment")
    public static class DescriptorImpl extends Descriptor<EnvironmentConfig> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EnvironmentConfig_DisplayName();
        }

        public ListBoxModel doFillLockPolicyItems() {
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.EnvironmentConfig_LockWait(), LockPolicy.WAIT.name());
            items.add(Messages.EnvironmentConfig_LockRefuse(), LockPolicy.REFUSE.name());
            return items;
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(() -> new EnvironmentConfig(value).toEnvironment());
        }

        @POST
        public FormValidation doCheckBranches(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(() -> split(value).forEach(BranchPattern::new));
        }

        private static FormValidation check(Runnable r) {
            try {
                r.run();
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }

    static List<EnvironmentConfig> ofAll(List<Environment> environments) {
        return environments.stream().map(EnvironmentConfig::of).toList();
    }
}
