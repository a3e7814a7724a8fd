package io.jenkins.plugins.releaseline.engine.rollout.router;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * An AWS Application Load Balancer: weighted target groups (one per colour) on the forward action of a listener's
 * default actions, or of one rule. Talks to the ELBv2 API through the AWS SDK for Java 2 with the JDK's
 * URLConnection HTTP client; the SDK's own retries are off, this router retries reads and absolute weight changes
 * itself ({@link RetryPolicy}). Percentages are written as ALB weights (0-999) as they are.
 */
public final class AlbRouter implements TrafficRouter, AutoCloseable {

    private final String name;
    private final ElasticLoadBalancingV2Client client;
    private final String listenerArn;
    private final String ruleArn;
    private final Map<String, String> targetGroups;
    private final List<String> backends;
    private final RetryPolicy retry;

    /**
     * Where the weights live: {@code listenerArn} (its default forward action) or {@code ruleArn} (that rule's
     * forward action), exactly one of them; {@code targetGroups}: backend name to target group ARN, in order.
     */
    public record Settings(String region, URI endpointOverride, AwsCredentialsProvider credentials, String listenerArn,
                           String ruleArn, Map<String, String> targetGroups, Duration callTimeout) {
        public Settings {
            if (region == null || !region.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("region: '" + region + "' is not an AWS region name such as eu-west-1");
            }
            boolean listener = listenerArn != null && !listenerArn.isBlank();
            boolean rule = ruleArn != null && !ruleArn.isBlank();
            if (listener == rule) {
                throw new IllegalArgumentException("listenerArn/ruleArn: give exactly one: the listener whose default action forwards, or the rule");
            }
            if (listener && !listenerArn.startsWith("arn:")) {
                throw new IllegalArgumentException("listenerArn: '" + listenerArn + "' is not an ARN");
            }
            if (rule && !ruleArn.startsWith("arn:")) {
                throw new IllegalArgumentException("ruleArn: '" + ruleArn + "' is not an ARN");
            }
            if (targetGroups == null || targetGroups.size() < 2) {
                throw new IllegalArgumentException("backends: name at least two target groups (backend name to target group ARN)");
            }
            targetGroups.forEach((k, v) -> {
                Inputs.requireName("backends", k, 100);
                if (v == null || !v.startsWith("arn:")) {
                    throw new IllegalArgumentException("backends: the target group of '" + k + "' is not an ARN: " + v);
                }
            });
            targetGroups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targetGroups));
            callTimeout = callTimeout == null ? Duration.ofSeconds(20) : callTimeout;
        }
    }

    public AlbRouter(String name, Settings settings, RetryPolicy retry) {
        this(name, client(settings), settings, retry);
    }

    AlbRouter(String name, ElasticLoadBalancingV2Client client, Settings settings, RetryPolicy retry) {
        this.name = Inputs.requireName("name", name, 100);
        this.client = client;
        this.listenerArn = settings.listenerArn() == null || settings.listenerArn().isBlank() ? null : settings.listenerArn();
        this.ruleArn = listenerArn == null ? settings.ruleArn() : null;
        this.targetGroups = settings.targetGroups();
        this.backends = List.copyOf(targetGroups.keySet());
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** The SDK client: URLConnection transport, no SDK retries, the given or default credentials, an endpoint override for tests. */
    static ElasticLoadBalancingV2Client client(Settings s) {
        var builder = ElasticLoadBalancingV2Client.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(s.credentials() != null ? s.credentials() : DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(s.callTimeout()).socketTimeout(s.callTimeout()))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(s.callTimeout()));
        if (s.endpointOverride() != null) {
            builder.endpointOverride(s.endpointOverride());
        }
        return builder.build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> backends() {
        return backends;
    }

    @Override
    public TrafficSplit read() {
        ForwardActionConfig fwd = forward(actions()).forwardConfig();
        Map<String, String> byArn = new LinkedHashMap<>();
        targetGroups.forEach((b, arn) -> byArn.put(arn, b));
        Map<String, Integer> weights = new LinkedHashMap<>();
        backends.forEach(b -> weights.put(b, 0));
        if (fwd == null || !fwd.hasTargetGroups()) {
            Action a = forward(actions());
            String b = byArn.get(a.targetGroupArn());
            if (b == null) {
                throw new RouterException("ALB " + name + " forwards to " + a.targetGroupArn() + ", none of " + targetGroups, false);
            }
            weights.put(b, 1);
        } else {
            for (TargetGroupTuple t : fwd.targetGroups()) {
                String b = byArn.get(t.targetGroupArn());
                if (b == null) {
                    if (t.weight() != null && t.weight() > 0) {
                        throw new RouterException("ALB " + name + " also forwards to " + t.targetGroupArn() + " (weight " + t.weight()
                                + "), which is none of " + targetGroups, false);
                    }
                    continue;
                }
                weights.put(b, t.weight() == null ? 1 : t.weight());
            }
        }
        return RouterWeights.toSplit(name, weights);
    }

    @Override
    public TrafficSplit apply(TrafficSplit target) {
        RouterWeights.requireSameBackends(name, backends, target);
        List<Action> current = actions();
        Action fwd = forward(current);
        List<TargetGroupTuple> tuples = new ArrayList<>();
        for (String b : backends) {
            tuples.add(TargetGroupTuple.builder().targetGroupArn(targetGroups.get(b)).weight(target.of(b)).build());
        }
        ForwardActionConfig.Builder cfg = fwd.forwardConfig() == null ? ForwardActionConfig.builder() : fwd.forwardConfig().toBuilder();
        Action replaced = fwd.toBuilder().targetGroupArn(null).forwardConfig(cfg.targetGroups(tuples).build()).build();
        List<Action> next = new ArrayList<>();
        for (Action a : current) {
            next.add(a == fwd ? replaced : a);
        }
        call("modify", () -> {
            if (listenerArn != null) {
                client.modifyListener(r -> r.listenerArn(listenerArn).defaultActions(next));
            } else {
                client.modifyRule(r -> r.ruleArn(ruleArn).actions(next));
            }
            return null;
        });
        TrafficSplit after = read();
        if (!after.equals(target)) {
            throw new RouterException("ALB " + name + " reads back " + after.percent() + " after setting " + target.percent(), false);
        }
        return after;
    }

    @Override
    public Map<String, BackendHealth> health() {
        Map<String, BackendHealth> out = new LinkedHashMap<>();
        for (String b : backends) {
            List<TargetHealthDescription> d = call("describe target health",
                    () -> client.describeTargetHealth(r -> r.targetGroupArn(targetGroups.get(b))).targetHealthDescriptions());
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (TargetHealthDescription t : d) {
                counts.merge(t.targetHealth() == null ? "unknown" : t.targetHealth().stateAsString(), 1, Integer::sum);
            }
            BackendHealth.State state;
            if (counts.getOrDefault("healthy", 0) > 0) {
                state = BackendHealth.State.UP;
            } else if (counts.getOrDefault("draining", 0) > 0) {
                state = BackendHealth.State.DRAINING;
            } else if (counts.getOrDefault("unhealthy", 0) > 0 || counts.getOrDefault("unavailable", 0) > 0) {
                state = BackendHealth.State.DOWN;
            } else {
                state = BackendHealth.State.UNKNOWN;
            }
            out.put(b, new BackendHealth(state, "targets by state " + counts + " in " + targetGroups.get(b)));
        }
        return out;
    }

    private List<Action> actions() {
        return call("describe", () -> {
            if (listenerArn != null) {
                var ls = client.describeListeners(r -> r.listenerArns(listenerArn)).listeners();
                if (ls.isEmpty()) {
                    throw new RouterException("ALB " + name + ": listener " + listenerArn + " not found", false);
                }
                return ls.get(0).defaultActions();
            }
            var rules = client.describeRules(r -> r.ruleArns(ruleArn)).rules();
            if (rules.isEmpty()) {
                throw new RouterException("ALB " + name + ": rule " + ruleArn + " not found", false);
            }
            return rules.get(0).actions();
        });
    }

    private Action forward(List<Action> actions) {
        return actions.stream().filter(a -> a.type() == ActionTypeEnum.FORWARD).findFirst()
                .orElseThrow(() -> new RouterException("ALB " + name + ": " + (listenerArn != null ? "listener " + listenerArn
                        : "rule " + ruleArn) + " has no forward action to weight", false));
    }

    private <T> T call(String what, java.util.function.Supplier<T> call) {
        return retry.run("ALB " + name + " " + what, () -> {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                boolean transientError = e.statusCode() >= 500 || e.isThrottlingException();
                throw new RouterException("ALB " + name + " " + what + ": " + e.awsErrorDetails().errorCode() + ": "
                        + e.awsErrorDetails().errorMessage(), transientError, e);
            } catch (SdkClientException e) {
                throw new RouterException("ALB " + name + " " + what + " unreachable: " + e.getMessage(), true, e);
            } catch (SdkException e) {
                throw new RouterException("ALB " + name + " " + what + ": " + e.getMessage(), e.retryable(), e);
            }
        });
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "ALB router " + name + " (" + (listenerArn != null ? listenerArn : ruleArn) + ")";
    }
}
