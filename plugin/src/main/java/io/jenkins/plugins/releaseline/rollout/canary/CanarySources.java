package io.jenkins.plugins.releaseline.rollout.canary;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CloudWatchSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.HttpProbeSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.PrometheusSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;

/** Builds the metric sources an analysis needs, resolving credential ids in the context of the build. */
final class CanarySources {

    private CanarySources() {}

    static CanaryAnalysis analysis(CanaryArguments args, Run<?, ?> run) throws AbortException {
        Set<String> used = args.metrics().stream().map(CanaryMetric::source).collect(Collectors.toSet());
        List<MetricSource> sources = new ArrayList<>();
        if (used.contains(HttpProbeSource.ID)) {
            sources.add(new HttpProbeSource(
                    HttpProbeSource.ID, args.probeUrls(), args.probeCount(), 4, Duration.ofSeconds(5)));
        }
        if (used.contains("prometheus")) {
            Map<String, String> headers = Map.of();
            String credentialsId = args.prometheus().get("credentialsId");
            if (credentialsId != null) {
                StringCredentials token =
                        CredentialsProvider.findCredentialById(credentialsId, StringCredentials.class, run);
                if (token == null) {
                    throw new AbortException("prometheus.credentialsId: no secret text credentials '" + credentialsId
                            + "' for this build");
                }
                headers = Map.of("Authorization", "Bearer " + token.getSecret().getPlainText());
            }
            sources.add(new PrometheusSource(
                    "prometheus",
                    URI.create(args.prometheus().get("url")),
                    args.prometheusStep(),
                    Duration.ofSeconds(10),
                    headers));
        }
        if (used.contains("cloudwatch")) {
            Map<String, String> cw = args.cloudWatch();
            CloudWatchClientBuilder builder = CloudWatchClient.builder()
                    .region(Region.of(cw.get("region")))
                    .httpClient(UrlConnectionHttpClient.create());
            String credentialsId = cw.get("credentialsId");
            if (credentialsId != null) {
                AmazonWebServicesCredentials aws =
                        CredentialsProvider.findCredentialById(credentialsId, AmazonWebServicesCredentials.class, run);
                if (aws == null) {
                    throw new AbortException(
                            "cloudwatch.credentialsId: no AWS credentials '" + credentialsId + "' for this build");
                }
                builder.credentialsProvider(aws);
            }
            if (cw.get("endpoint") != null) {
                builder.endpointOverride(URI.create(cw.get("endpoint")));
            }
            int period = cw.get("period") == null
                    ? 60
                    : Integer.parseInt(cw.get("period").strip());
            sources.add(new CloudWatchSource("cloudwatch", builder.build(), period));
        }
        try {
            return new CanaryAnalysis(args.metrics(), sources, CanaryJudge.defaults());
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
