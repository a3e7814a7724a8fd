package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.State;

/**
 * A Lambda alias as a traffic router. The alias ({@code live}) points at the stable version; the new version
 * gets its share through the alias routing configuration ({@code AdditionalVersionWeights}, 0.0-1.0, one
 * version at most). Full promotion points the alias at the new version and clears the weights; rollback
 * points it back at the stable version and clears them.
 *
 * <p>The backends are the two version numbers, stable first (e.g. {@code 6, 7}). Every split this router
 * reports was read from the alias by {@code GetAlias}; an alias that shows anything other than a split between
 * these two versions (someone changed it by hand) is reported as an error, not guessed at. Each update carries
 * the alias's {@code RevisionId}, so a concurrent change is refused by Lambda rather than overwritten.
 */
public final class LambdaRouter implements TrafficRouter {

    private final String name;
    private final LambdaClient client;
    private final String function;
    private final String alias;
    private final String stable;
    private final String candidate;

    private LambdaRouter(String name, LambdaClient client, String function, String alias, String stable, String candidate) {
        this.name = name;
        this.client = client;
        this.function = function;
        this.alias = alias;
        this.stable = stable;
        this.candidate = candidate;
    }

    /**
     * A router for taking {@code alias} of {@code function} to {@code newVersion}. Reads the alias now: the
     * version it points at is the stable one. Refuses (and changes nothing) when the function or the alias does
     * not exist, or when the alias already gives weight to a third version.
     */
    public static LambdaRouter forNewVersion(String name, LambdaClient client, String function, String alias, String newVersion) {
        Objects.requireNonNull(client, "client");
        String fn = LambdaNames.function(function);
        String al = LambdaNames.alias(alias);
        String nv = LambdaNames.version("version", newVersion);
        GetAliasResponse now = getAlias(client, fn, al);
        String stable = now.functionVersion();
        Map<String, Double> weights = weights(now);
        if ("$LATEST".equals(stable)) {
            throw new RouterException("alias: '" + al + "' of '" + fn + "' points at $LATEST, which cannot share traffic by "
                    + "weight; point it at a published version first", false);
        }
        for (String v : weights.keySet()) {
            if (!v.equals(nv)) {
                throw new RouterException("alias: '" + al + "' of '" + fn + "' already gives " + percent(weights.get(v))
                        + "% to version " + v + " (another rollout in progress?); finish or roll that back before deploying version " + nv, false);
            }
        }
        return new LambdaRouter(name == null ? fn + ":" + al : name, client, fn, al, stable, nv);
    }

    /**
     * A router for a rollout whose versions are already known (stored with it): after a restart, the alias may
     * already point at the new version, so the stable one is not read from it. Nothing is read or changed here.
     */
    public static LambdaRouter of(String name, LambdaClient client, String function, String alias, String stableVersion, String newVersion) {
        Objects.requireNonNull(client, "client");
        return new LambdaRouter(name == null ? LambdaNames.function(function) + ":" + alias : name, client,
                LambdaNames.function(function), LambdaNames.alias(alias), LambdaNames.version("stable version", stableVersion),
                LambdaNames.version("version", newVersion));
    }

    @Override
    public String name() {
        return name;
    }

    public String function() {
        return function;
    }

    public String alias() {
        return alias;
    }

    /** The version the alias pointed at when this router was made. */
    public String stableVersion() {
        return stable;
    }

    public String newVersion() {
        return candidate;
    }

    /** True when the alias already pointed at the new version (nothing to roll out). */
    public boolean alreadyServesNewVersion() {
        return stable.equals(candidate);
    }

    @Override
    public List<String> backends() {
        return List.copyOf(new LinkedHashSet<>(List.of(stable, candidate)));
    }

    @Override
    public TrafficSplit read() {
        return splitOf(getAlias(client, function, alias));
    }

    /** The new version's weight on the alias as Lambda holds it (0.0 to 1.0; 1.0 once the alias points at it). */
    public double readWeight() {
        GetAliasResponse a = getAlias(client, function, alias);
        splitOf(a);
        return a.functionVersion().equals(candidate) ? 1.0 : weights(a).getOrDefault(candidate, 0.0);
    }

    @Override
    public TrafficSplit apply(TrafficSplit target) {
        Objects.requireNonNull(target, "split");
        if (!target.percent().keySet().equals(new LinkedHashSet<>(backends()))) {
            throw new IllegalArgumentException("split: " + target.percent() + " does not name exactly the versions "
                    + backends() + " of alias '" + alias + "'");
        }
        return applyWeight(target.of(candidate) / 100.0);
    }

    /**
     * Gives the new version {@code weight} of the alias's traffic: 0.0 is rollback (the alias on the stable
     * version, no weights), 1.0 is full promotion (the alias on the new version, no weights).
     */
    public TrafficSplit applyWeight(double weight) {
        if (Double.isNaN(weight) || weight < 0.0 || weight > 1.0) {
            throw new IllegalArgumentException("weight: " + weight + " is outside 0.0..1.0 (the share of the alias's traffic "
                    + "for version " + candidate + "); give e.g. 0.1 for 10%");
        }
        GetAliasResponse before = getAlias(client, function, alias);
        TrafficSplit current = splitOf(before);
        if (alreadyServesNewVersion()) {
            return current; // one version on both sides: every weight means the same traffic
        }
        String functionVersion = weight >= 1.0 ? candidate : stable;
        Map<String, Double> routing = weight <= 0.0 || weight >= 1.0 ? Map.of() : Map.of(candidate, weight);
        if (before.functionVersion().equals(functionVersion) && weights(before).equals(routing)) {
            return current; // already so (set again after a restart): no call, no new revision
        }
        try {
            client.updateAlias(b -> b.functionName(function).name(alias).functionVersion(functionVersion)
                    .routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(routing).build())
                    .revisionId(before.revisionId()));
        } catch (SdkException e) {
            throw new RouterException("alias '" + alias + "' of '" + function + "': Lambda refused to set version "
                    + functionVersion + " with weights " + routing + " (" + LambdaFailures.describe(e) + ")", LambdaFailures.retryable(e), e);
        }
        GetAliasResponse after = getAlias(client, function, alias);
        TrafficSplit read = splitOf(after);
        boolean matches = after.functionVersion().equals(functionVersion) && weights(after).equals(routing.isEmpty() ? Map.of() : routing);
        if (!matches) {
            throw new RouterException("alias '" + alias + "' of '" + function + "' reads back version " + after.functionVersion()
                    + " with weights " + weights(after) + " after setting version " + functionVersion + " with weights " + routing, true);
        }
        return read;
    }

    @Override
    public Map<String, BackendHealth> health() {
        Map<String, BackendHealth> out = new LinkedHashMap<>();
        for (String v : backends()) {
            try {
                GetFunctionConfigurationResponse c = client.getFunctionConfiguration(b -> b.functionName(function).qualifier(v));
                String detail = "State=" + c.stateAsString() + ", LastUpdateStatus=" + c.lastUpdateStatusAsString()
                        + (c.stateReason() == null ? "" : ", " + c.stateReason());
                BackendHealth.State s;
                if (c.state() == State.ACTIVE && (c.lastUpdateStatus() == null || c.lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL)) {
                    s = BackendHealth.State.UP;
                } else if (c.state() == State.FAILED || c.state() == State.INACTIVE || c.lastUpdateStatus() == LastUpdateStatus.FAILED) {
                    s = BackendHealth.State.DOWN;
                } else {
                    s = BackendHealth.State.UNKNOWN;
                }
                out.put(v, new BackendHealth(s, detail));
            } catch (SdkException e) {
                out.put(v, BackendHealth.unknown(LambdaFailures.describe(e)));
            }
        }
        return out;
    }

    /** The split the alias shows, or an error when it is not a split between this router's two versions. */
    private TrafficSplit splitOf(GetAliasResponse a) {
        Map<String, Double> w = weights(a);
        String fv = a.functionVersion();
        if (stable.equals(candidate) && fv.equals(stable) && w.isEmpty()) {
            return new TrafficSplit(Map.of(stable, 100));
        }
        if (fv.equals(candidate) && w.isEmpty()) {
            return TrafficSplit.all(candidate, backends());
        }
        if (fv.equals(stable) && w.isEmpty()) {
            return TrafficSplit.all(stable, backends());
        }
        if (fv.equals(stable) && w.size() == 1 && w.containsKey(candidate)) {
            return TrafficSplit.of(stable, candidate, percent(w.get(candidate)));
        }
        throw new RouterException("alias '" + alias + "' of '" + function + "' points at version " + fv + " with weights " + w
                + ", which is not a split between versions " + stable + " and " + candidate + "; it was changed outside this rollout", false);
    }

    /**
     * Whole percent for a weight, to the nearest; a weight strictly between 0 and 1 never reads as 0% or 100%,
     * so a version that takes any traffic is never reported as taking none.
     */
    static int percent(double weight) {
        int p = (int) Math.round(weight * 100.0);
        if (weight > 0.0 && p == 0) {
            return 1;
        }
        if (weight < 1.0 && p == 100) {
            return 99;
        }
        return p;
    }

    private static Map<String, Double> weights(GetAliasResponse a) {
        if (a.routingConfig() == null || !a.routingConfig().hasAdditionalVersionWeights()) {
            return Map.of();
        }
        return Map.copyOf(a.routingConfig().additionalVersionWeights());
    }

    private static GetAliasResponse getAlias(LambdaClient client, String function, String alias) {
        try {
            return client.getAlias(b -> b.functionName(function).name(alias));
        } catch (SdkException e) {
            if (LambdaFailures.notFound(e)) {
                boolean functionExists;
                try {
                    client.getFunctionConfiguration(b -> b.functionName(function));
                    functionExists = true;
                } catch (SdkException f) {
                    functionExists = !LambdaFailures.notFound(f);
                }
                if (!functionExists) {
                    throw new RouterException("function: '" + function + "' does not exist in this region ("
                            + LambdaFailures.describe(e) + "); check the function name and the region", false, e);
                }
                throw new RouterException("alias: '" + alias + "' does not exist on function '" + function + "' ("
                        + LambdaFailures.describe(e) + "); create it pointing at the current version, or name an existing alias", false, e);
            }
            throw new RouterException("alias '" + alias + "' of '" + function + "' could not be read ("
                    + LambdaFailures.describe(e) + ")", LambdaFailures.retryable(e), e);
        }
    }

    @Override
    public String toString() {
        return "Lambda alias " + function + ":" + alias + " (" + stable + " -> " + candidate + ")";
    }
}
