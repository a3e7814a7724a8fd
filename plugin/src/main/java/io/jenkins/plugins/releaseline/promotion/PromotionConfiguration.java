package io.jenkins.plugins.releaseline.promotion;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The environments an artifact is promoted through, in order, with their rules. Kept here (and in Configuration as
 * Code as {@code unclassified: promotion:}) and written to the store, whose audit trail records each change.
 */
@Extension
@Symbol("promotion")
public class PromotionConfiguration extends GlobalConfiguration {

    private List<EnvironmentConfig> environments;

    public PromotionConfiguration() {
        load();
        if (environments == null) {
            environments = new ArrayList<>(
                    EnvironmentConfig.ofAll(EnvironmentOrder.defaults().environments()));
        }
    }

    @NonNull
    public static PromotionConfiguration get() {
        return ExtensionList.lookupSingleton(PromotionConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.PromotionConfiguration_DisplayName();
    }

    @NonNull
    public List<EnvironmentConfig> getEnvironments() {
        return environments;
    }

    /**
     * @throws IllegalArgumentException when the order has an unknown environment, a cycle or a gap, or a rule is
     *     invalid; nothing is changed then
     */
    @DataBoundSetter
    public void setEnvironments(List<EnvironmentConfig> environments) {
        List<EnvironmentConfig> list = environments == null ? List.of() : List.copyOf(environments);
        toOrder(list);
        this.environments = new ArrayList<>(list);
        save();
        if (!BulkChange.contains(this)) {
            PromotionService.get().apply(this, ActingUser.id());
        }
    }

    /** The engine's checked form of the configured environments. */
    @NonNull
    public EnvironmentOrder toOrder() {
        return toOrder(environments);
    }

    private static EnvironmentOrder toOrder(List<EnvironmentConfig> list) {
        return EnvironmentOrder.of(
                list.stream().map(EnvironmentConfig::toEnvironment).toList());
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        try (BulkChange bc = new BulkChange(this)) {
            environments = new ArrayList<>();
            req.bindJSON(this, json);
            toOrder();
            bc.commit();
        } catch (IllegalArgumentException e) {
            load();
            throw new FormException(e.getMessage(), e, "environments");
        } catch (IOException e) {
            throw new FormException(e.getMessage(), e, "environments");
        }
        PromotionService.get().apply(this, ActingUser.id());
        return true;
    }
}
