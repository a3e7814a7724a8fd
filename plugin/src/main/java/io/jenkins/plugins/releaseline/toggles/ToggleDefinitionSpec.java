package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleDefinition;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A toggle's definition as written in the global configuration or Configuration as Code. */
public class ToggleDefinitionSpec extends AbstractDescribableImpl<ToggleDefinitionSpec> {

    private final String key;
    private String description;
    private String owner;
    private String type = ToggleType.BOOLEAN.name();
    private List<VariantSpec> variants = new ArrayList<>();

    @DataBoundConstructor
    public ToggleDefinitionSpec(String key) {
        this.key = Util.fixEmptyAndTrim(key);
    }

    public String getKey() {
        return key;
    }

    @CheckForNull
    public String getDescription() {
        return description;
    }

    @DataBoundSetter
    public void setDescription(String description) {
        this.description = Util.fixEmptyAndTrim(description);
    }

    @CheckForNull
    public String getOwner() {
        return owner;
    }

    @DataBoundSetter
    public void setOwner(String owner) {
        this.owner = Util.fixEmptyAndTrim(owner);
    }

    /** {@code BOOLEAN} (variants on/off) or {@code STRING} (the variants listed). */
    public String getType() {
        return type;
    }

    @DataBoundSetter
    public void setType(String type) {
        this.type = Util.fixEmptyAndTrim(type) == null ? ToggleType.BOOLEAN.name() : type.trim();
    }

    /** Null when there are none (a BOOLEAN toggle), so that Configuration as Code leaves it out of an export. */
    @CheckForNull
    public List<VariantSpec> getVariants() {
        return variants == null || variants.isEmpty() ? null : variants;
    }

    @DataBoundSetter
    public void setVariants(List<VariantSpec> variants) {
        this.variants = variants == null ? new ArrayList<>() : new ArrayList<>(variants);
    }

    /** The engine's definition; the engine refuses bad values with the field named. */
    @NonNull
    public ToggleDefinition toDefinition() {
        ToggleType t;
        try {
            t = ToggleType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("type: '" + type + "' is not BOOLEAN or STRING", e);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        for (VariantSpec s : variants == null ? List.<VariantSpec>of() : variants) {
            v.put(s.getName(), s.getValue());
        }
        return new ToggleDefinition(key, description, owner, t, t == ToggleType.BOOLEAN ? null : v);
    }

    @Extension
    @Symbol("toggle")
    public static class DescriptorImpl extends Descriptor<ToggleDefinitionSpec> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ToggleDefinitionSpec_DisplayName();
        }

        public ListBoxModel doFillTypeItems() {
            ListBoxModel items = new ListBoxModel();
            for (ToggleType t : ToggleType.values()) {
                items.add(t.name());
            }
            return items;
        }

        @POST
        public FormValidation doCheckKey(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            try {
                ToggleDefinition.requireKey(Util.fixEmptyAndTrim(value));
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
