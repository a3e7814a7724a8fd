package io.jenkins.plugins.releaseline.toggles;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Feature toggle definitions and who may read the flagd exports, from the global configuration or Configuration
 * as Code ({@code unclassified: featureToggles:}). Definitions and environments are written to the store (and
 * audited) when the configuration is saved or applied, and again at start-up; whether a toggle is on, and for whom,
 * is state in the store, changed from the page or by pipelines.
 */
@Extension
@Symbol("featureToggles")
public class FeatureTogglesConfiguration extends GlobalConfiguration {

    private static final Logger LOGGER = Logger.getLogger(FeatureTogglesConfiguration.class.getName());

    /** Who may read {@code /release-line/toggles/<environment>.flagd.json} besides a holder of the environment's token. */
    public enum ExportAccess {
        /** Anyone with Overall/Read. */
        OVERALL_READ,
        /** Anyone with Feature toggles/View. */
        VIEW_TOGGLES,
        /** Only requests with the environment's token. */
        TOKEN_ONLY
    }

    private String environments;
    private List<ToggleDefinitionSpec> toggles = new ArrayList<>();
    private ExportAccess exportAccess = ExportAccess.VIEW_TOGGLES;
    private List<ExportToken> exportTokens = new ArrayList<>();
    private int staleAfterDays = 30;

    public FeatureTogglesConfiguration() {
        load();
    }

    @NonNull
    public static FeatureTogglesConfiguration get() {
        return ExtensionList.lookupSingleton(FeatureTogglesConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.FeatureTogglesConfiguration_DisplayName();
    }

    /** Environment names, comma-separated, in the order the page shows them (e.g. {@code dev, staging, prod}). */
    @CheckForNull
    public String getEnvironments() {
        return environments;
    }

    @DataBoundSetter
    public void setEnvironments(String environments) {
        this.environments = Util.fixEmptyAndTrim(environments);
        save();
        applyIfRunning();
    }

    @NonNull
    public List<String> environmentNames() {
        Set<String> names = new LinkedHashSet<>();
        if (environments != null) {
            for (String part : environments.split("[,\\s]+")) {
                if (!part.isBlank()) {
                    names.add(part.trim());
                }
            }
        }
        return new ArrayList<>(names);
    }

    @NonNull
    public List<ToggleDefinitionSpec> getToggles() {
        return toggles == null ? List.of() : toggles;
    }

    @DataBoundSetter
    public void setToggles(List<ToggleDefinitionSpec> toggles) {
        this.toggles = toggles == null ? new ArrayList<>() : new ArrayList<>(toggles);
        save();
        applyIfRunning();
    }

    @NonNull
    public ExportAccess getExportAccess() {
        return exportAccess == null ? ExportAccess.VIEW_TOGGLES : exportAccess;
    }

    @DataBoundSetter
    public void setExportAccess(ExportAccess exportAccess) {
        this.exportAccess = exportAccess == null ? ExportAccess.VIEW_TOGGLES : exportAccess;
        save();
    }

    @NonNull
    public List<ExportToken> getExportTokens() {
        return exportTokens == null ? List.of() : exportTokens;
    }

    @DataBoundSetter
    public void setExportTokens(List<ExportToken> exportTokens) {
        this.exportTokens = exportTokens == null ? new ArrayList<>() : new ArrayList<>(exportTokens);
        save();
    }

    /** A toggle serving one answer everywhere this many days is listed as ready to remove. */
    public int getStaleAfterDays() {
        return staleAfterDays;
    }

    @DataBoundSetter
    public void setStaleAfterDays(int staleAfterDays) {
        if (staleAfterDays < 1 || staleAfterDays > 3650) {
            throw new IllegalArgumentException("staleAfterDays: " + staleAfterDays + " is outside 1..3650");
        }
        this.staleAfterDays = staleAfterDays;
        save();
    }

    /** The token an environment's export accepts, or null when none is configured or the credential is missing. */
    @CheckForNull
    String tokenFor(String environment) {
        for (ExportToken t : getExportTokens()) {
            if (environment.equals(t.getEnvironment()) && t.getCredentialsId() != null) {
                StringCredentials c = CredentialsProvider.findCredentialByIdInItemGroup(
                        t.getCredentialsId(), StringCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of());
                if (c == null) {
                    LOGGER.log(
                            Level.WARNING,
                            "The export token of environment {0} names credentials {1}, which do not exist",
                            new Object[] {environment, t.getCredentialsId()});
                    return null;
                }
                return c.getSecret().getPlainText();
            }
        }
        return null;
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        try (BulkChange bc = new BulkChange(this)) {
            toggles = new ArrayList<>();
            exportTokens = new ArrayList<>();
            req.bindJSON(this, json);
            bc.commit();
        } catch (IOException e) {
            throw new FormException(e.getMessage(), e, null);
        }
        try {
            applyToStore(ActingUser.id());
        } catch (IllegalArgumentException e) {
            throw new FormException(e.getMessage(), e, "toggles");
        }
        return true;
    }

    /**
     * Writes the environments and definitions to the store: environments are added, toggles defined or updated.
     * Nothing is removed: a toggle left out of the configuration keeps its state until it is deleted on purpose.
     */
    public void applyToStore(String principal) {
        if (environmentNames().isEmpty() && getToggles().isEmpty()) {
            return; // nothing configured: do not open the store for nothing
        }
        FeatureToggles engine = ToggleService.get().toggles();
        for (String env : environmentNames()) {
            engine.addEnvironment(principal, env, "from the global configuration");
        }
        for (ToggleDefinitionSpec spec : getToggles()) {
            engine.define(principal, spec.toDefinition(), "from the global configuration");
        }
    }

    /**
     * Configuration as Code reapplied on a running controller comes through the setters: write to the store then.
     * During start-up the store may not be configured yet; {@link #applyAtStartup} does it once Jenkins is up.
     */
    private void applyIfRunning() {
        Jenkins j = Jenkins.getInstanceOrNull();
        if (j == null || j.getInitLevel() != InitMilestone.COMPLETED || BulkChange.contains(this)) {
            return;
        }
        try {
            applyToStore(ActingUser.id());
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not write the feature toggle definitions to the Release Line store", e);
        }
    }

    /** Configuration as Code sets the fields without {@link #configure}; apply once Jenkins has loaded it. */
    @Initializer(after = InitMilestone.JOB_CONFIG_ADAPTED)
    public static void applyAtStartup() {
        try {
            get().applyToStore(ActingUser.SYSTEM);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not write the feature toggle definitions to the Release Line store", e);
        }
    }

    @POST
    public FormValidation doCheckEnvironments(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            for (String part : Util.fixNull(value).split("[,\\s]+")) {
                if (!part.isBlank()) {
                    Inputs.requireName("environments", part.trim(), 100);
                }
            }
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    public ListBoxModel doFillExportAccessItems() {
        ListBoxModel items = new ListBoxModel();
        items.add(Messages.FeatureTogglesConfiguration_AccessOverallRead(), ExportAccess.OVERALL_READ.name());
        items.add(Messages.FeatureTogglesConfiguration_AccessViewToggles(), ExportAccess.VIEW_TOGGLES.name());
        items.add(Messages.FeatureTogglesConfiguration_AccessTokenOnly(), ExportAccess.TOKEN_ONLY.name());
        return items;
    }
}
