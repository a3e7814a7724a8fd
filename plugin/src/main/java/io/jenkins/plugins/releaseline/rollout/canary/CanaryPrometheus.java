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
 * The {@code prometheus: [url: ..., credentialsId: ..., step: ...]} argument of {@code canaryDeploy}.
 */
public class CanaryPrometheus extends AbstractDescribableImpl<CanaryPrometheus> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String url;
    private String credentialsId;
    private String step;

    @DataBoundConstructor
    public CanaryPrometheus(String url) {
        this.url = Util.fixEmptyAndTrim(url);
    }

    public String getUrl() {
        return url;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getStep() {
        return step;
    }

    @DataBoundSetter
    public void setStep(String step) {
        this.step = Util.fixEmptyAndTrim(step);
    }

    /** The values given, by argument name, as the engine reads them. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "url", url);
        put(m, "credentialsId", credentialsId);
        put(m, "step", step);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Extension
    @Symbol("canaryPrometheus")
    public static final class DescriptorImpl extends Descriptor<CanaryPrometheus> {

        @NonNull
        @Override
        public String getDisplayName() {
            return "Prometheus for a canary";
        }
    }
}
