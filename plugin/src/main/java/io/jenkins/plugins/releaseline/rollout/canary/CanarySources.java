package io.jenkins.plugins.releaseline.rollout.canary;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSources;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Resolves the credential ids of a canary's sources in the context of its build; the engine builds the sources. */
final class CanarySources {

    private CanarySources() {}

    static CanaryAnalysis analysis(CanaryArguments args, Run<?, ?> run) throws AbortException {
        String token = null;
        String promId = args.prometheus().get("credentialsId");
        if (promId != null) {
            StringCredentials c = CredentialsProvider.findCredentialById(promId, StringCredentials.class, run);
            if (c == null) {
                throw new AbortException(
                        "prometheus.credentialsId: no secret text credentials '" + promId + "' for this build");
            }
            token = c.getSecret().getPlainText();
        }
        AmazonWebServicesCredentials aws = null;
        String awsId = args.cloudWatch().get("credentialsId");
        if (awsId != null) {
            aws = CredentialsProvider.findCredentialById(awsId, AmazonWebServicesCredentials.class, run);
            if (aws == null) {
                throw new AbortException("cloudwatch.credentialsId: no AWS credentials '" + awsId + "' for this build");
            }
        }
        try {
            return MetricSources.analysis(args, new MetricSources.Secrets(token, aws));
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
