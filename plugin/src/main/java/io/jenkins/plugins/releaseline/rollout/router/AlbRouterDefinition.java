package io.jenkins.plugins.releaseline.rollout.router;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.engine.rollout.router.AlbRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** An AWS Application Load Balancer: weighted target groups on a listener's default action or on a rule. */
public class AlbRouterDefinition extends RouterDefinition {

    private final String region;
    private final String targetGroups;
    private String listenerArn;
    private String ruleArn;
    private String credentialsId;
    private String endpointUrl;

    @DataBoundConstructor
    public AlbRouterDefinition(String name, String region, String targetGroups) {
        super(name);
        this.region = Util.fixEmptyAndTrim(region);
        this.targetGroups = Util.fixEmptyAndTrim(targetGroups);
    }

    public String getRegion() {
        return region;
    }

    /** {@code colour=target group ARN} a line. */
    public String getTargetGroups() {
        return targetGroups;
    }

    public String getListenerArn() {
        return listenerArn;
    }

    @DataBoundSetter
    public void setListenerArn(String listenerArn) {
        this.listenerArn = Util.fixEmptyAndTrim(listenerArn);
    }

    public String getRuleArn() {
        return ruleArn;
    }

    @DataBoundSetter
    public void setRuleArn(String ruleArn) {
        this.ruleArn = Util.fixEmptyAndTrim(ruleArn);
    }

    /** AWS credentials (aws-credentials plugin); blank: the SDK's default chain (instance role, environment). */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** An ELBv2-compatible endpoint instead of AWS's own (a VPC endpoint, a test double). */
    public String getEndpointUrl() {
        return endpointUrl;
    }

    @DataBoundSetter
    public void setEndpointUrl(String endpointUrl) {
        this.endpointUrl = Util.fixEmptyAndTrim(endpointUrl);
    }

    @NonNull
    @Override
    public TrafficRouter toRouter(@CheckForNull Run<?, ?> run, CommandRouter.Commands commands) throws AbortException {
        AwsCredentialsProvider credentials = null;
        if (credentialsId != null) {
            AmazonWebServicesCredentials c = run != null
                    ? CredentialsProvider.findCredentialById(
                            credentialsId, AmazonWebServicesCredentials.class, run, List.of())
                    : CredentialsProvider.findCredentialByIdInItemGroup(
                            credentialsId, AmazonWebServicesCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of());
            if (c == null) {
                throw new AbortException(Messages.AlbRouterDefinition_CredentialsNotFound(credentialsId, getName()));
            }
            credentials = c;
        }
        return new AlbRouter(
                getName(),
                new AlbRouter.Settings(
                        region,
                        endpointUrl == null ? null : URI.create(endpointUrl),
                        credentials,
                        listenerArn,
                        ruleArn,
                        pairs("targetGroups", targetGroups),
                        Duration.ofSeconds(20)),
                RetryPolicy.DEFAULT);
    }

    @Extension
    @Symbol("alb")
    public static class DescriptorImpl extends RouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.AlbRouterDefinition_DisplayName();
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
                            AmazonWebServicesCredentials.class,
                            List.of(),
                            CredentialsMatchers.always())
                    .includeCurrentValue(Util.fixNull(credentialsId));
        }
    }
}
