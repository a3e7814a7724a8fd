package io.jenkins.plugins.releaseline.rollout.lambda;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDeployArguments;
import io.jenkins.plugins.releaseline.rollout.analysis.MetricSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code lambdaDeploy(function: 'prod-orders', version: '1.4.2', strategy: 'Canary10Percent5Minutes',
 * s3: [bucket:, key:, version:], digest: 'sha256:...', region: 'eu-west-1', credentialsId: 'aws-prod')}: the
 * promotion gates of the function's environment, then the code update, publish and digest check, the probe, and
 * the rollout on the alias. The arguments are checked by the engine ({@code LambdaDeployArguments}) when the step
 * starts; a bad one fails the step naming it.
 */
public final class LambdaDeployStep extends Step {

    private final String function;
    private final String version;
    private final String strategy;
    private String alias;
    private String environment;
    private String artifact;
    private String digest;
    private LambdaS3Object s3;
    private String zip;
    private List<MetricSpec> analysis;
    private LambdaCloudWatch cloudwatch;
    private String region;
    private String credentialsId;
    private String endpoint;
    private String probePayload;
    private Integer invocations;
    private String updateTimeout;
    private String gateTimeout;

    @DataBoundConstructor
    public LambdaDeployStep(String function, String version, String strategy) {
        this.function = function;
        this.version = version;
        this.strategy = strategy;
    }

    public String getFunction() {
        return function;
    }

    public String getVersion() {
        return version;
    }

    public String getStrategy() {
        return strategy;
    }

    public String getAlias() {
        return alias;
    }

    @DataBoundSetter
    public void setAlias(String alias) {
        this.alias = blankToNull(alias);
    }

    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(String environment) {
        this.environment = blankToNull(environment);
    }

    public String getArtifact() {
        return artifact;
    }

    @DataBoundSetter
    public void setArtifact(String artifact) {
        this.artifact = blankToNull(artifact);
    }

    public String getDigest() {
        return digest;
    }

    @DataBoundSetter
    public void setDigest(String digest) {
        this.digest = blankToNull(digest);
    }

    public LambdaS3Object getS3() {
        return s3;
    }

    @DataBoundSetter
    public void setS3(LambdaS3Object s3) {
        this.s3 = s3;
    }

    public String getZip() {
        return zip;
    }

    @DataBoundSetter
    public void setZip(String zip) {
        this.zip = blankToNull(zip);
    }

    public List<MetricSpec> getAnalysis() {
        return analysis == null ? null : List.copyOf(analysis);
    }

    @DataBoundSetter
    public void setAnalysis(List<MetricSpec> analysis) {
        this.analysis = analysis == null || analysis.isEmpty() ? null : new ArrayList<>(analysis);
    }

    public LambdaCloudWatch getCloudwatch() {
        return cloudwatch;
    }

    @DataBoundSetter
    public void setCloudwatch(LambdaCloudWatch cloudwatch) {
        this.cloudwatch = cloudwatch;
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = blankToNull(region);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = blankToNull(credentialsId);
    }

    public String getEndpoint() {
        return endpoint;
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = blankToNull(endpoint);
    }

    public String getProbePayload() {
        return probePayload;
    }

    @DataBoundSetter
    public void setProbePayload(String probePayload) {
        this.probePayload = blankToNull(probePayload);
    }

    public Integer getInvocations() {
        return invocations;
    }

    @DataBoundSetter
    public void setInvocations(Integer invocations) {
        this.invocations = invocations;
    }

    public String getUpdateTimeout() {
        return updateTimeout;
    }

    @DataBoundSetter
    public void setUpdateTimeout(String updateTimeout) {
        this.updateTimeout = blankToNull(updateTimeout);
    }

    public String getGateTimeout() {
        return gateTimeout;
    }

    @DataBoundSetter
    public void setGateTimeout(String gateTimeout) {
        this.gateTimeout = blankToNull(gateTimeout);
    }

    /** The arguments as the engine reads them (only those given), plain serializable values. */
    LinkedHashMap<String, Object> arguments() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        putIf(m, "function", function);
        putIf(m, "version", version);
        putIf(m, "strategy", strategy);
        putIf(m, "alias", alias);
        putIf(m, "environment", environment);
        putIf(m, "artifact", artifact);
        putIf(m, "digest", digest);
        putIf(m, "s3", s3 == null ? null : s3.toMap());
        putIf(m, "zip", zip);
        putIf(m, "analysis", MetricSpec.arguments(analysis));
        putIf(m, "cloudwatch", cloudwatch == null ? null : cloudwatch.toMap());
        putIf(m, "region", region);
        putIf(m, "credentialsId", credentialsId);
        putIf(m, "endpoint", endpoint);
        putIf(m, "probePayload", probePayload);
        putIf(m, "invocations", invocations);
        putIf(m, "updateTimeout", updateTimeout);
        putIf(m, "gateTimeout", gateTimeout);
        return m;
    }

    static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new LambdaDeployExecution(context, arguments());
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "lambdaDeploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.LambdaDeployStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** Binds as any data-bound step, after refusing an argument name that lambdaDeploy does not take. */
        @Override
        public Step newInstance(Map<String, Object> arguments) throws Exception {
            LambdaDeployArguments.requireKnownNames(arguments.keySet());
            return super.newInstance(arguments);
        }

        /** The AWS credentials the job may use, for the Snippet Generator. */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            StandardListBoxModel result = new StandardListBoxModel();
            boolean may = item == null
                    ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                    : item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
            if (!may) {
                return result.includeCurrentValue(Util.fixNull(credentialsId));
            }
            return result.includeEmptyValue()
                    .includeMatchingAs(
                            item instanceof Queue.Task t ? Tasks.getAuthenticationOf2(t) : ACL.SYSTEM2,
                            item,
                            AmazonWebServicesCredentials.class,
                            List.of(),
                            CredentialsMatchers.always())
                    .includeCurrentValue(Util.fixNull(credentialsId));
        }
    }
}
