package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlan;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlanParser;

import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSpecs;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The arguments of {@code lambdaDeploy} as a pipeline passes them, checked and read into engine values. Every
 * error names the argument. Credentials stay an id here; the caller resolves it.
 *
 * @param environment   the promotion environment whose gates apply; by default the function name's prefix
 *                      ({@code prod} for {@code prod-orders})
 * @param artifact      the name promoted; by default the rest of the function name ({@code orders})
 * @param digest        the promoted digest; required with {@code s3}, computed from the file with {@code zip}
 * @param zip           a path in the workspace, or null with {@code s3}
 * @param invocations   per side and analysis, for metrics on the {@code lambda-invoke} source
 * @param gateTimeout   how long the step waits for approvals, a freeze or a deploy lock before it gives up
 */
public record LambdaDeployArguments(String function, String alias, String environment, String artifact, String version,
                                    String digest, LambdaCode.S3Object s3, String zip, String strategy, CanaryPlan plan,
                                    List<CanaryMetric> metrics, String region, String credentialsId, URI endpoint,
                                    int cloudWatchPeriod, URI cloudWatchEndpoint, String probePayload, int invocations,
                                    Duration updateTimeout, Duration gateTimeout) {

    private static final Set<String> KEYS = Set.of("function", "alias", "environment", "artifact", "version", "digest", "s3",
            "zip", "strategy", "analysis", "region", "credentialsId", "endpoint", "cloudwatch", "probePayload", "invocations",
            "updateTimeout", "gateTimeout");
    private static final Set<String> SOURCES = Set.of("cloudwatch", LambdaInvokeSource.ID);

    public static LambdaDeployArguments parse(Map<String, ?> args) {
        requireKnownNames(args.keySet());
        String function = LambdaNames.function(text(args, "function", null));
        String alias = LambdaNames.alias(text(args, "alias", "live"));
        int dash = function.indexOf('-');
        String environment = text(args, "environment", dash > 0 && !function.startsWith("arn:") ? function.substring(0, dash) : null);
        if (environment == null) {
            throw new IllegalArgumentException("environment: give the promotion environment; it is taken from the function name only "
                    + "when that starts with it and a dash, as in prod-orders");
        }
        Inputs.requireName("environment", environment, 100);
        String artifact = text(args, "artifact", dash > 0 && !function.startsWith("arn:") ? function.substring(dash + 1) : function);
        String version = text(args, "version", null);
        if (version == null) {
            throw new IllegalArgumentException("version: give the version being promoted, such as '1.4.2' (with the digest it is the artifact's identity)");
        }

        Object s3Arg = args.get("s3");
        String zip = text(args, "zip", null);
        if ((s3Arg == null) == (zip == null)) {
            throw new IllegalArgumentException("s3: give exactly one of s3: [bucket:, key:, version:] and zip: 'path/in/workspace.zip'");
        }
        LambdaCode.S3Object s3 = null;
        if (s3Arg != null) {
            Map<String, String> m = Inputs.stringMap("s3", s3Arg, Set.of("bucket", "key", "version"));
            s3 = new LambdaCode.S3Object(m.get("bucket"), m.get("key"), m.get("version"));
        } else {
            Inputs.rejectControlCharacters("zip", zip, false);
        }
        String digest = text(args, "digest", null);
        if (digest != null) {
            digest = LambdaCodeDigest.parse(digest).promoted();
        } else if (s3 != null) {
            throw new IllegalArgumentException("digest: required with s3: the promoted digest of the zip (sha256:<hex>, as sha256sum "
                    + "printed when it was built), so that Lambda's CodeSha256 can be checked against it");
        }
        if (digest != null) {
            Artifact.of(artifact, version, digest);
        }

        String strategy = text(args, "strategy", null);
        if (strategy == null) {
            throw new IllegalArgumentException("strategy: give a CodeDeploy name (Canary10Percent5Minutes, Linear10PercentEvery1Minute, "
                    + "AllAtOnce, ...) or steps such as '10%/5m, 50%/10m, 100%'");
        }
        String probePayload = text(args, "probePayload", "{}");
        Inputs.rejectControlCharacters("probePayload", probePayload, true);
        CanaryPlan plan = LambdaRelease.strategy(strategy);

        List<CanaryMetric> metrics;
        Object analysis = args.get("analysis");
        if (analysis == null) {
            metrics = List.of(LambdaInvokeSource.errorsMetric(probePayload, 20));
        } else {
            if (!(analysis instanceof List<?> l) || l.isEmpty() || !l.stream().allMatch(e -> e instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("analysis: must be a list of maps, e.g. [[name: 'errors', source: 'cloudwatch', query: '...', threshold: 0.01]]");
            }
            @SuppressWarnings("unchecked")
            List<Map<String, ?>> maps = (List<Map<String, ?>>) l;
            metrics = MetricSpecs.parse(maps);
        }
        for (CanaryMetric m : metrics) {
            if (!SOURCES.contains(m.source())) {
                throw new IllegalArgumentException("analysis: metric " + m.name() + ": source '" + m.source() + "' is not one of "
                        + new TreeSet<>(SOURCES) + " for a Lambda alias");
            }
        }

        String region = text(args, "region", null);
        region = new LambdaConnection(region == null ? "" : region, null, null, null).region();
        String credentialsId = text(args, "credentialsId", null);
        URI endpoint = args.get("endpoint") == null ? null : url("endpoint", text(args, "endpoint", null));
        Map<String, String> cw = Inputs.stringMap("cloudwatch", args.get("cloudwatch"), Set.of("period", "endpoint"));
        int period = cw.containsKey("period") ? LambdaMetricSources.period("cloudwatch.period", cw.get("period")) : 60;
        URI cwEndpoint = cw.containsKey("endpoint") ? url("cloudwatch.endpoint", cw.get("endpoint")) : null;
        int invocations = args.get("invocations") == null ? 50 : whole("invocations", args.get("invocations"), 1, 10_000);
        Duration updateTimeout = duration(args, "updateTimeout", Duration.ofMinutes(10));
        Duration gateTimeout = duration(args, "gateTimeout", Duration.ofDays(1));
        return new LambdaDeployArguments(function, alias, environment, artifact, version, digest, s3, zip, strategy, plan, metrics,
                region, credentialsId, endpoint, period, cwEndpoint, probePayload, invocations, updateTimeout, gateTimeout);
    }

    /** Refuses a name that is not an argument of {@code lambdaDeploy} (a typo would otherwise be ignored). */
    public static void requireKnownNames(java.util.Collection<String> names) {
        for (String k : names) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(k + ": is not an argument of lambdaDeploy; use " + new TreeSet<>(KEYS));
            }
        }
    }

    /** The release request once the digest is known (for {@code zip}, computed from the file). */
    public LambdaRelease.Request request(LambdaCode code, String zipDigest, String branch, String jobPath, String buildLink, String requestedBy) {
        String d = digest != null ? digest : LambdaCodeDigest.parse(zipDigest).promoted();
        return new LambdaRelease.Request(environment, function, alias, code, Artifact.of(artifact, version, d), strategy, probePayload,
                branch, jobPath, buildLink, requestedBy);
    }

    /** CloudWatch's period and endpoint for the metric sources. */
    public LambdaMetricSources.CloudWatch cloudWatch() {
        return new LambdaMetricSources.CloudWatch(cloudWatchPeriod, cloudWatchEndpoint);
    }

    public boolean usesCloudWatch() {
        return metrics.stream().anyMatch(m -> m.source().equals("cloudwatch"));
    }

    private static String text(Map<String, ?> args, String key, String fallback) {
        Object v = args.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof CharSequence) || v.toString().isBlank()) {
            throw new IllegalArgumentException(key + ": '" + v + "' must be non-empty text");
        }
        return v.toString().strip();
    }


    private static URI url(String field, String value) {
        URI u;
        try {
            u = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": '" + Inputs.printable(value) + "' is not a URL", e);
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException(field + ": '" + Inputs.printable(value) + "' is not an http(s) URL");
        }
        return u;
    }

    private static int whole(String field, Object v, int min, int max) {
        String s = v.toString().strip();
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + Inputs.printable(s) + "' is not a number");
        }
        if (d != Math.rint(d) || d < min || d > max) {
            throw new IllegalArgumentException(field + ": " + s + " must be a whole number from " + min + " to " + max);
        }
        return (int) d;
    }

    private static Duration duration(Map<String, ?> args, String key, Duration fallback) {
        String t = text(args, key, null);
        if (t == null) {
            return fallback;
        }
        Duration d = CanaryPlanParser.duration(key + ": ", t);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + ": must be longer than 0");
        }
        return d;
    }
}
