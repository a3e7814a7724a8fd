package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** One variant of a STRING toggle: its name and the text it serves. */
public class VariantSpec extends AbstractDescribableImpl<VariantSpec> {

    private final String name;
    private final String value;

    @DataBoundConstructor
    public VariantSpec(String name, String value) {
        this.name = Util.fixEmptyAndTrim(name);
        this.value = value == null ? "" : value;
    }

    public String getName() {
        return name;
    }

    public String getValue() {
        return value;
    }

    @Extension
    @Symbol("variant")
    public static class DescriptorImpl extends Descriptor<VariantSpec> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.VariantSpec_DisplayName();
        }
    }
}
