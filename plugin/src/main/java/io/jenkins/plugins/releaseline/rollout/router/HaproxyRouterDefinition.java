package io.jenkins.plugins.releaseline.rollout.router;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.util.FormValidation;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** HAProxy through its Runtime API; the backends are the servers of one HAProxy backend. */
public class HaproxyRouterDefinition extends RouterDefinition {

    private final String address;
    private final String haproxyBackend;
    private int timeoutSeconds = 5;

    @DataBoundConstructor
    public HaproxyRouterDefinition(String name, String address, String haproxyBackend) {
        super(name);
        this.address = Util.fixEmptyAndTrim(address);
        this.haproxyBackend = Util.fixEmptyAndTrim(haproxyBackend);
    }

    public String getAddress() {
        return address;
    }

    public String getHaproxyBackend() {
        return haproxyBackend;
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds <= 0 ? 5 : timeoutSeconds;
    }

    @NonNull
    @Override
    public TrafficRouter toRouter(Run<?, ?> run, CommandRouter.Commands commands) {
        return new HaproxyRouter(
                getName(),
                HaproxyRuntimeApi.parse(address, Duration.ofSeconds(timeoutSeconds)),
                haproxyBackend,
                backendList(),
                RetryPolicy.DEFAULT);
    }

    @Extension
    @Symbol("haproxy")
    public static class DescriptorImpl extends RouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.HaproxyRouterDefinition_DisplayName();
        }

        @POST
        public FormValidation doCheckAddress(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            try {
                HaproxyRuntimeApi.parse(value, Duration.ofSeconds(5));
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
