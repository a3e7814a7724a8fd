package io.jenkins.plugins.releaseline;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.IOException;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Where Release Line keeps its state: an H2 file under {@code JENKINS_HOME} unless a PostgreSQL URL is given, which
 * several controllers may share, each writing under its own controller id.
 */
@Extension
@Symbol("releaseLine")
public class ReleaseLineConfiguration extends GlobalConfiguration {

    private String jdbcUrl;
    private String credentialsId;
    private String controllerId;

    public ReleaseLineConfiguration() {
        load();
    }

    @NonNull
    public static ReleaseLineConfiguration get() {
        return ExtensionList.lookupSingleton(ReleaseLineConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.ReleaseLineConfiguration_DisplayName();
    }

    /** Blank means the embedded H2 file under {@code JENKINS_HOME/release-line/}. */
    @CheckForNull
    public String getJdbcUrl() {
        return jdbcUrl;
    }

    @DataBoundSetter
    public void setJdbcUrl(@CheckForNull String jdbcUrl) {
        this.jdbcUrl = Util.fixEmptyAndTrim(jdbcUrl);
        save();
    }

    /** Username and password for the database; H2 needs none. */
    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(@CheckForNull String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        save();
    }

    /** Blank means {@link DefaultControllerId#current()}. */
    @CheckForNull
    public String getControllerId() {
        return controllerId;
    }

    @DataBoundSetter
    public void setControllerId(@CheckForNull String controllerId) {
        this.controllerId = Util.fixEmptyAndTrim(controllerId);
        save();
    }

    /** The controller id written on shared rows: the configured one, or the default. */
    @NonNull
    public String effectiveControllerId() {
        return controllerId != null ? controllerId : DefaultControllerId.current();
    }

    /**
     * The settings the store opens with now. The credentials are looked up on each call, so that a changed password
     * is noticed.
     *
     * @throws IllegalArgumentException when a setting is invalid or the credentials are missing; the message names
     *     the field
     */
    @NonNull
    public StoreSettings storeSettings() {
        String id = effectiveControllerId();
        if (jdbcUrl == null) {
            return StoreSettings.h2File(
                    Jenkins.get().getRootDir().toPath().resolve("release-line").resolve("store"), id);
        }
        if (credentialsId == null) {
            return StoreSettings.of(jdbcUrl, null, null, id);
        }
        StandardUsernamePasswordCredentials credentials = lookUpCredentials(credentialsId);
        if (credentials == null) {
            throw new IllegalArgumentException(Messages.ReleaseLineConfiguration_CredentialsNotFound(credentialsId));
        }
        return StoreSettings.of(
                jdbcUrl, credentials.getUsername(), credentials.getPassword().getPlainText(), id);
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        try (BulkChange bc = new BulkChange(this)) {
            req.bindJSON(this, json);
            bc.commit();
        } catch (IOException e) {
            throw new FormException(e.getMessage(), e, null);
        }
        return true;
    }

    @POST
    public FormValidation doCheckJdbcUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String url = Util.fixEmptyAndTrim(value);
        if (url == null) {
            return FormValidation.ok(Messages.ReleaseLineConfiguration_EmbeddedStore());
        }
        try {
            StoreSettings.of(url, null, null, null);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @POST
    public FormValidation doCheckCredentialsId(@QueryParameter String jdbcUrl, @QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String id = Util.fixEmptyAndTrim(value);
        if (id == null) {
            String url = Util.fixEmptyAndTrim(jdbcUrl);
            return url != null && url.startsWith("jdbc:postgresql:")
                    ? FormValidation.warning(Messages.ReleaseLineConfiguration_PostgresqlWithoutCredentials())
                    : FormValidation.ok();
        }
        return lookUpCredentials(id) == null
                ? FormValidation.error(Messages.ReleaseLineConfiguration_CredentialsNotFound(id))
                : FormValidation.ok();
    }

    @POST
    public FormValidation doCheckControllerId(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String id = Util.fixEmptyAndTrim(value);
        if (id == null) {
            return FormValidation.ok(
                    Messages.ReleaseLineConfiguration_DefaultControllerId(DefaultControllerId.current()));
        }
        try {
            Inputs.requireName("controllerId", id, 100);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return result.includeCurrentValue(Util.fixNull(credentialsId));
        }
        return result.includeEmptyValue()
                .includeMatchingAs(
                        ACL.SYSTEM2,
                        Jenkins.get(),
                        StandardUsernamePasswordCredentials.class,
                        List.of(),
                        CredentialsMatchers.always())
                .includeCurrentValue(Util.fixNull(credentialsId));
    }

    @CheckForNull
    private static StandardUsernamePasswordCredentials lookUpCredentials(String id) {
        return CredentialsProvider.findCredentialByIdInItemGroup(
                id, StandardUsernamePasswordCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of());
    }
}
