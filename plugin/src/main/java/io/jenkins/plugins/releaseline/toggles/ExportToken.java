package io.jenkins.plugins.releaseline.toggles;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A token that lets an application read one environment's flagd export without a Jenkins account: the secret text
 * of a credential, sent as {@code Authorization: Bearer <token>}.
 */
public class ExportToken extends AbstractDescribableImpl<ExportToken> {

    private final String environment;
    private final String credentialsId;

    @DataBoundConstructor
    public ExportToken(String environment, String credentialsId) {
        this.environment = Util.fixEmptyAndTrim(environment);
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getEnvironment() {
        return environment;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @Extension
    @Symbol("exportToken")
    public static class DescriptorImpl extends Descriptor<ExportToken> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ExportToken_DisplayName();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            StandardListBoxModel result = new StandardListBoxModel();
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return result.includeCurrentValue(credentialsId);
            }
            return result.includeEmptyValue()
                    .includeMatchingAs(
                            ACL.SYSTEM2,
                            Jenkins.get(),
                            StringCredentials.class,
                            List.of(),
                            CredentialsMatchers.always())
                    .includeCurrentValue(credentialsId);
        }
    }
}
