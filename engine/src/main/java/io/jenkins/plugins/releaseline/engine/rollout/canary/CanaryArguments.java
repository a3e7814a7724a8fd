package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.HttpProbeSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSpecs;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The arguments of a canary deployment as a pipeline passes them, checked and read into engine values: the
 * plan (text or steps) with its analysis settings, the backends, the metrics and the settings of their sources.
 * Credentials stay ids here; the caller resolves them. Every error names the argument.
 *
 * @param router        the named router, or null when the pipeline's block is the router
 * @param prometheus    {@code url}, {@code credentialsId} (a secret text sent as a bearer token), {@code step}
 * @param cloudWatch    {@code region}, {@code credentialsId}, {@code period}, {@code endpoint}
 * @param probeUrls     the built-in probes' base URL per backend name (or label)
 * @param probeCount    probes per side per analysis
 */
public record CanaryArguments(String router, String stable, String canary, String stableLabel, String canaryLabel,
                              CanaryPlan plan, List<CanaryMetric> metrics, Map<String, String> prometheus,
                              Map<String, String> cloudWatch, Map<String, URI> probeUrls, int probeCount) {

    private static final Set<String> KEYS = Set.of("router", "plan", "stable", "canary", "stableLabel", "canaryLabel",
            "analysis", "maxFailedAnalyses", "inconclusiveRetries", "retryInterval", "onInconclusive",
            "analysisDeadline", "prometheus", "cloudwatch", "probes");

    public static CanaryArguments parse(Map<String, ?> args) {
        for (String k : args.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(k + ": is not an argument of canaryDeploy; use " + new TreeSet<>(KEYS));
            }
        }
        Object planArg = args.get("plan");
        CanaryPlan plan;
        if (planArg instanceof CharSequence s) {
            plan = CanaryPlan.parse(s.toString());
        } else if (planArg instanceof List<?> l) {
            plan = CanaryPlan.fromStructured(maps("plan", l));
        } else {
            throw new IllegalArgumentException("plan: required, as text ('10%/5m, 50%/10m, 100%') or steps ([[weight: 10, pause: '5m'], ...])");
        }
        if (args.get("maxFailedAnalyses") != null) {
            plan = plan.withMaxFailedAnalyses(whole("maxFailedAnalyses", args.get("maxFailedAnalyses")));
        }
        if (args.get("inconclusiveRetries") != null || args.get("retryInterval") != null) {
            plan = plan.withInconclusiveRetries(
                    args.get("inconclusiveRetries") == null ? plan.inconclusiveRetries() : whole("inconclusiveRetries", args.get("inconclusiveRetries")),
                    args.get("retryInterval") == null ? plan.retryInterval() : CanaryPlanParser.duration("retryInterval: ", text(args, "retryInterval")));
        }
        if (args.get("analysisDeadline") != null) {
            plan = plan.withAnalysisDeadline(CanaryPlanParser.duration("analysisDeadline: ", text(args, "analysisDeadline")));
        }
        if (args.get("onInconclusive") != null) {
            String v = text(args, "onInconclusive").toUpperCase(Locale.ROOT);
            if (!v.equals("ROLLBACK") && !v.equals("PAUSE")) {
                throw new IllegalArgumentException("onInconclusive: '" + Inputs.printable(text(args, "onInconclusive")) + "' is not 'rollback' or 'pause'");
            }
            plan = plan.withOnInconclusive(CanaryPlan.OnInconclusive.valueOf(v));
        }
        String router = args.get("router") == null ? null : Inputs.requireName("router", text(args, "router"), 100);
        String stable = args.get("stable") == null ? "stable" : Inputs.requireName("stable", text(args, "stable"), 100);
        String canary = args.get("canary") == null ? "canary" : Inputs.requireName("canary", text(args, "canary"), 100);
        if (stable.equals(canary)) {
            throw new IllegalArgumentException("canary: '" + canary + "' is also the stable backend; name two different backends");
        }
        List<CanaryMetric> metrics = MetricSpecs.parse(args.get("analysis") == null ? null : maps("analysis", (List<?>) list("analysis", args.get("analysis"))));
        Map<String, String> prometheus = Inputs.stringMap("prometheus", args.get("prometheus"), Set.of("url", "credentialsId", "step"));
        Map<String, String> cloudWatch = Inputs.stringMap("cloudwatch", args.get("cloudwatch"), Set.of("region", "credentialsId", "period", "endpoint"));
        Map<String, String> probes = Inputs.stringMap("probes", args.get("probes"), Set.of("stable", "canary", "count"));
        Map<String, URI> probeUrls = new LinkedHashMap<>();
        String stableLabel = args.get("stableLabel") == null ? stable : text(args, "stableLabel");
        String canaryLabel = args.get("canaryLabel") == null ? canary : text(args, "canaryLabel");
        for (String side : List.of("stable", "canary")) {
            if (probes.containsKey(side)) {
                probeUrls.put(side.equals("stable") ? stableLabel : canaryLabel, url("probes." + side, probes.get(side)));
            }
        }
        for (CanaryMetric m : metrics) {
            switch (m.source()) {
                case HttpProbeSource.ID -> {
                    if (probeUrls.size() < 2) {
                        throw new IllegalArgumentException("probes: metric " + m.name() + " uses the built-in probes; give "
                                + "probes: [stable: 'http://...', canary: 'http://...'] (each version's own address, not the router's)");
                    }
                }
                case "prometheus" -> {
                    if (!prometheus.containsKey("url")) {
                        throw new IllegalArgumentException("prometheus: metric " + m.name() + " uses Prometheus; give prometheus: [url: 'http://prometheus:9090']");
                    }
                }
                case "cloudwatch" -> {
                    if (!cloudWatch.containsKey("region")) {
                        throw new IllegalArgumentException("cloudwatch: metric " + m.name() + " uses CloudWatch; give cloudwatch: [region: 'eu-west-1', credentialsId: '...']");
                    }
                }
                default -> throw new IllegalArgumentException("analysis: metric " + m.name() + ": source '" + m.source()
                        + "' is not one of probes, prometheus, cloudwatch");
            }
        }
        if (prometheus.containsKey("url")) {
            url("prometheus.url", prometheus.get("url"));
        }
        int probeCount = probes.containsKey("count") ? whole("probes.count", probes.get("count")) : 200;
        return new CanaryArguments(router, stable, canary, stableLabel, canaryLabel, plan, metrics, prometheus, cloudWatch,
                probeUrls, probeCount);
    }

    /** The spec of a rollout with these arguments; {@code routerName} is the named router or the block router's name. */
    public CanarySpec spec(String id, String routerName) {
        return new CanarySpec(id, routerName, stable, canary, stableLabel, canaryLabel, plan);
    }

    private static String text(Map<String, ?> args, String key) {
        Object v = args.get(key);
        if (!(v instanceof CharSequence)) {
            throw new IllegalArgumentException(key + ": " + v + " must be text");
        }
        return v.toString();
    }

    private static Object list(String key, Object v) {
        if (!(v instanceof List<?>)) {
            throw new IllegalArgumentException(key + ": must be a list of maps, e.g. [[name: 'error-rate', source: 'prometheus', query: '...']]");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, ?>> maps(String key, List<?> l) {
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(key + "[" + (i + 1) + "]: " + l.get(i) + " is not a map such as [weight: 10, pause: '5m']");
            }
        }
        return (List<Map<String, ?>>) l;
    }


    private static URI url(String field, String value) {
        try {
            URI u = URI.create(value);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException(field + ": '" + Inputs.printable(value) + "' is not an http(s) URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(field)) {
                throw e;
            }
            throw new IllegalArgumentException(field + ": '" + Inputs.printable(value) + "' is not a URL: " + e.getMessage());
        }
    }

    private static int whole(String field, Object v) {
        String s = v.toString().strip();
        try {
            double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(s);
            if (d != Math.rint(d) || d < 0 || d > 1_000_000) {
                throw new IllegalArgumentException(field + ": " + s + " must be a whole number from 0");
            }
            return (int) d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + Inputs.printable(s) + "' is not a number");
        }
    }

    /** Prometheus's range-query step, default 10 s (1 s in tests with a 1 s scrape interval). */
    public Duration prometheusStep() {
        return prometheus.containsKey("step") ? CanaryPlanParser.duration("prometheus.step: ", prometheus.get("step")) : Duration.ofSeconds(10);
    }
}
