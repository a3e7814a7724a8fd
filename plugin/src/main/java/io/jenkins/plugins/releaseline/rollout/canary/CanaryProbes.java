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
 * The {@code probes: [stable: url, canary: url, count: 200]} argument of {@code canaryDeploy}: each version's own
 * address (not the router's), probed directly at each analysis.
 */
public class CanaryProbes extends AbstractDescribableImpl<CanaryProbes> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String stable;
    private final String canary;
    private Integer count;

    @DataBoundConstructor
    public CanaryProbes(String stable, String canary) {
        this.stable = Util.fixEmptyAndTrim(stable);
        this.canary = Util.fixEmptyAndTrim(canary);
    }

    public String getStable() {
        return stable;
    }

    public String getCanary() {
        return canary;
    }

    public Integer getCount() {
        return count;
    }

    @DataBoundSetter
    public void setCount(Integer count) {
        this.count = count;
    }

    /** The values given, by argument name, as the engine reads them. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "stable", stable);
        put(m, "canary", canary);
        put(m, "count", count);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Extension
    @Symbol("canaryProbes")
    public static final class DescriptorImpl extends Descriptor<CanaryProbes> {

        @NonNull
        @Override
        public String getDisplayName() {
            return "Built-in probes of a canary";
        }
    }
}
