package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.engine.toggles.RuleOperator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * One targeting rule of {@code configureFeatureToggle}: {@code [attribute: 'plan', operator: 'EQUALS',
 * values: ['beta-tester'], variant: 'treatment']}. Binding only: the engine checks each part and names the field
 * ({@code rules[0].operator}) when one is wrong.
 */
public class TargetingRuleSpec extends AbstractDescribableImpl<TargetingRuleSpec> {

    private final String attribute;
    private final String operator;
    private final List<String> values;
    private final String variant;

    @DataBoundConstructor
    public TargetingRuleSpec(String attribute, String operator, List<String> values, String variant) {
        this.attribute = Util.fixEmptyAndTrim(attribute);
        this.operator = Util.fixEmptyAndTrim(operator);
        this.values = values == null ? new ArrayList<>() : new ArrayList<>(values);
        this.variant = Util.fixEmptyAndTrim(variant);
    }

    public String getAttribute() {
        return attribute;
    }

    public String getOperator() {
        return operator;
    }

    public List<String> getValues() {
        return values;
    }

    public String getVariant() {
        return variant;
    }

    /** The values as the Snippet Generator's text box shows them: comma-separated. */
    @Restricted(NoExternalUse.class)
    public String getValuesText() {
        return String.join(", ", values);
    }

    /** The rule as the engine reads a setting ({@code SettingInput}). */
    Map<String, Object> toInput() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attribute", attribute);
        m.put("operator", operator);
        m.put("values", new ArrayList<Object>(values));
        m.put("variant", variant);
        return m;
    }

    @Extension
    @Symbol("rule")
    public static class DescriptorImpl extends Descriptor<TargetingRuleSpec> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.TargetingRuleSpec_DisplayName();
        }

        /** The Snippet Generator's form gives the values as one comma-separated text. */
        @Override
        public TargetingRuleSpec newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            JSONObject form = JSONObject.fromObject(formData.toString());
            Object text = form.opt("values");
            if (text instanceof String values) {
                JSONArray list = new JSONArray();
                for (String v : values.split(",")) {
                    if (!v.isBlank()) {
                        list.add(v.trim());
                    }
                }
                form.put("values", list);
            }
            return super.newInstance(req, form);
        }

        public ListBoxModel doFillOperatorItems() {
            ListBoxModel items = new ListBoxModel();
            for (RuleOperator o : RuleOperator.values()) {
                items.add(o.name());
            }
            return items;
        }
    }
}
