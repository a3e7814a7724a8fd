package io.jenkins.plugins.releaseline.rollout.canary;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The {@code cloudwatch: [region: ..., credentialsId: ..., period: ..., endpoint: ...]} argument of {@code canaryDeploy}.
 */
public class CanaryCloudWatch extends AbstractDescribableImpl<CanaryCloudWatch> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String region;
    private String credentialsId;
    private String period;
    private String endpoint;

    @DataBoundConstructor
    public CanaryCloudWatch(String region) {
        this.region = Util.fixEmptyAndTrim(region);
    }

    public String getRegion() {
        return region;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getPeriod() {
        return period;
    }

    @DataBoundSetter
    public void setPeriod(String period) {
        this.period = Util.fixEmptyAndTrim(period);
    }

    public String getEndpoint() {
        return endpoint;
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = Util.fixEmptyAndTrim(endpoint);
    }

    /** The values given, by argument name, as the engine reads them. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "region", region);
        put(m, "credentialsId", credentialsId);
        put(m, "period", period);
        put(m, "endpoint", endpoint);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Extension
    @Symbol("canaryCloudWatch")
    public static final class DescriptorImpl extends Descriptor<CanaryCloudWatch> {

        @NonNull
        @Override
        public String getDisplayName() {
            return "CloudWatch for a canary";
        }
    }
}
