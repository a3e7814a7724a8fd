package io.jenkins.plugins.releaseline.rollout.lambda;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** {@code cloudwatch: [period: 60, endpoint: '...']}: how the {@code cloudwatch} metrics are read. */
public final class LambdaCloudWatch extends AbstractDescribableImpl<LambdaCloudWatch> implements Serializable {

    private static final long serialVersionUID = 1L;

    private Integer period;
    private String endpoint;

    @DataBoundConstructor
    public LambdaCloudWatch() {}

    public Integer getPeriod() {
        return period;
    }

    @DataBoundSetter
    public void setPeriod(Integer period) {
        this.period = period;
    }

    public String getEndpoint() {
        return endpoint;
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        LambdaDeployStep.putIf(m, "period", period);
        LambdaDeployStep.putIf(m, "endpoint", endpoint);
        return m;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<LambdaCloudWatch> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.LambdaCloudWatch_DisplayName();
        }
    }
}
