package io.jenkins.plugins.releaseline.engine.toggles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One environment's toggles in the flagd flag definition format (https://flagd.dev/schema/v0/flags.json), which
 * OpenFeature's flagd providers read from a file or over HTTP. Targeting is JSON Logic built from the rules in
 * order ({@code if} with {@code ==}, {@code in}, {@code starts_with}, {@code sem_ver}), then the rollout as
 * {@code fractional}; a rollout of part of the keys over several variants hashes twice: once (toggle key +
 * targeting key) to decide who is in, once more ({@code cat} of toggle key, {@value CompiledToggle#SPLIT_SALT}
 * and targeting key) to pick the variant, so that the two are independent. Keys are written in a stable order, so
 * equal content gives equal bytes and an equal {@link #etag()}.
 */
public final class FlagdExport {

    public static final String SCHEMA = "https://flagd.dev/schema/v0/flags.json";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final String environment;
    private final byte[] json;
    private final String etag;

    private FlagdExport(String environment, byte[] json) {
        this.environment = environment;
        this.json = json;
        this.etag = "\"" + sha256(json) + "\"";
    }

    /** The export of {@code environment}; an environment that is not defined is refused. */
    public static FlagdExport of(ToggleSnapshot snapshot, String environment) {
        if (environment == null || !snapshot.environments().contains(environment)) {
            throw new IllegalArgumentException("environment: '" + environment + "' is not defined; the environments are "
                    + snapshot.environments());
        }
        ObjectNode root = F.objectNode();
        root.put("$schema", SCHEMA);
        ObjectNode flags = root.putObject("flags");
        for (ToggleState t : snapshot.toggles()) {
            flags.set(t.key(), flag(t.definition(), t.setting(environment)));
        }
        try {
            byte[] bytes = ToggleJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            return new FlagdExport(environment, bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the flagd export", e);
        }
    }

    static ObjectNode flag(ToggleDefinition toggle, EnvironmentSetting s) {
        ObjectNode flag = F.objectNode();
        flag.put("state", s.enabled() ? "ENABLED" : "DISABLED");
        ObjectNode variants = flag.putObject("variants");
        for (Map.Entry<String, Object> v : toggle.variants().entrySet()) {
            variants.set(v.getKey(), v.getValue() instanceof Boolean b ? F.booleanNode(b) : F.textNode((String) v.getValue()));
        }
        flag.put("defaultVariant", s.defaultVariant());
        JsonNode targeting = targeting(toggle.key(), s);
        if (targeting != null) {
            flag.set("targeting", targeting);
        }
        if (!toggle.description().isEmpty()) {
            flag.putObject("metadata").put("description", toggle.description());
        }
        return flag;
    }

    /** The JSON Logic of the rules and the rollout; null when there is neither (flagd then serves the default: STATIC). */
    static JsonNode targeting(String key, EnvironmentSetting s) {
        if (s.rules().isEmpty() && s.rollout() == null) {
            return null;
        }
        ArrayNode branches = F.arrayNode();
        for (TargetingRule r : s.rules()) {
            branches.add(condition(r));
            branches.add(r.variant());
        }
        Rollout rollout = s.rollout();
        if (rollout == null) {
            branches.addNull();
        } else if (rollout.split().size() == 1) {
            branches.add(fractional(null, List.of(new VariantWeight(rollout.split().get(0).variant(), rollout.percentage()),
                    new VariantWeight(s.defaultVariant(), 100 - rollout.percentage()))));
        } else if (rollout.percentage() == 100) {
            branches.add(fractional(null, rollout.split()));
        } else {
            ObjectNode gate = F.objectNode();
            ArrayNode eq = gate.putArray("==");
            eq.add(fractional(null, List.of(new VariantWeight("in", rollout.percentage()), new VariantWeight("out", 100 - rollout.percentage()))));
            eq.add("in");
            branches.add(gate);
            ObjectNode bucketBy = F.objectNode();
            bucketBy.putArray("cat").add(key + CompiledToggle.SPLIT_SALT).add(var(ToggleContext.TARGETING_KEY));
            branches.add(fractional(bucketBy, rollout.split()));
            branches.addNull();
        }
        if (branches.size() == 1) {
            return branches.get(0);
        }
        ObjectNode root = F.objectNode();
        root.set("if", branches);
        return root;
    }

    private static ObjectNode fractional(JsonNode bucketBy, List<VariantWeight> weights) {
        ObjectNode node = F.objectNode();
        ArrayNode args = node.putArray("fractional");
        if (bucketBy != null) {
            args.add(bucketBy);
        }
        for (VariantWeight w : weights) {
            args.addArray().add(w.variant()).add(w.weight());
        }
        return node;
    }

    private static ObjectNode condition(TargetingRule r) {
        ObjectNode node = F.objectNode();
        switch (r.operator()) {
            case EQUALS -> node.putArray("==").add(var(r.attribute())).add(r.values().get(0));
            case IN -> {
                ArrayNode list = F.arrayNode();
                r.values().forEach(list::add);
                node.putArray("in").add(var(r.attribute())).add(list);
            }
            case STARTS_WITH -> node.putArray("starts_with").add(var(r.attribute())).add(r.values().get(0));
            default -> node.putArray("sem_ver").add(var(r.attribute())).add(r.operator().semVerSymbol()).add(r.values().get(0));
        }
        return node;
    }

    private static ObjectNode var(String attribute) {
        ObjectNode v = F.objectNode();
        v.put("var", attribute);
        return v;
    }

    public String environment() {
        return environment;
    }

    /** The JSON bytes (UTF-8); a copy. */
    public byte[] json() {
        return json.clone();
    }

    public String text() {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** A strong entity tag: the quoted SHA-256 of the bytes. */
    public String etag() {
        return etag;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
