package io.jenkins.plugins.releaseline.engine.toggles;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A toggle as the code knows it: its key, what it is for, who owns it, and the variants it can serve. A
 * {@link ToggleType#BOOLEAN} toggle always has the variants {@code on = true} and {@code off = false}.
 */
public record ToggleDefinition(String key, String description, String owner, ToggleType type, Map<String, Object> variants) {

    public static final int MAX_KEY = 100;
    public static final int MAX_DESCRIPTION = 2_000;
    public static final int MAX_VARIANTS = 20;
    public static final String ON = "on";
    public static final String OFF = "off";

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern VARIANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public ToggleDefinition {
        key = requireKey(key);
        if (description != null) {
            Inputs.rejectControlCharacters("description", description, true);
            Inputs.requireLength("description", description.strip(), MAX_DESCRIPTION);
            description = description.strip();
        } else {
            description = "";
        }
        owner = owner == null || owner.isBlank() ? "" : Inputs.requirePrincipal(owner);
        if (type == null) {
            throw new IllegalArgumentException("type: missing; use BOOLEAN or STRING");
        }
        if (type == ToggleType.BOOLEAN) {
            if (variants != null && !variants.isEmpty() && !variants.equals(booleanVariants())) {
                throw new IllegalArgumentException("variants: a BOOLEAN toggle has exactly the variants on = true and off = false; "
                        + "use type STRING for other variants");
            }
            variants = booleanVariants();
        } else {
            if (variants == null || variants.isEmpty()) {
                throw new IllegalArgumentException("variants: a STRING toggle needs at least one variant, such as control = \"control\"");
            }
            if (variants.size() > MAX_VARIANTS) {
                throw new IllegalArgumentException("variants: " + variants.size() + " is over the limit of " + MAX_VARIANTS);
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : variants.entrySet()) {
                String name = requireVariantName("variants", e.getKey());
                if (!(e.getValue() instanceof String text)) {
                    throw new IllegalArgumentException("variants." + name + ": a STRING toggle's variant value must be text, not "
                            + (e.getValue() == null ? "null" : e.getValue().getClass().getSimpleName()));
                }
                Inputs.rejectControlCharacters("variants." + name, text, false);
                Inputs.requireLength("variants." + name, text, 1_000);
                copy.put(name, text);
            }
            variants = Collections.unmodifiableMap(copy);
        }
    }

    public static ToggleDefinition bool(String key, String description, String owner) {
        return new ToggleDefinition(key, description, owner, ToggleType.BOOLEAN, null);
    }

    /** A toggle key: letters, digits, '.', '_' and '-', at most {@value #MAX_KEY} characters. */
    public static String requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key: must not be empty; name the toggle, as in 'new-checkout'");
        }
        if (key.length() > MAX_KEY) {
            throw new IllegalArgumentException("key: " + key.length() + " characters is over the limit of " + MAX_KEY + "; shorten it");
        }
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key: '" + Inputs.printable(key) + "' may hold only letters, digits, '.', '_' and '-' "
                    + "(no spaces), and must start with a letter or digit");
        }
        return key;
    }

    static String requireVariantName(String field, String name) {
        if (name == null || !VARIANT.matcher(name).matches()) {
            throw new IllegalArgumentException(field + ": variant name '" + (name == null ? "" : Inputs.printable(name))
                    + "' may hold only letters, digits, '.', '_' and '-' (at most 100), starting with a letter or digit");
        }
        return name;
    }

    private static Map<String, Object> booleanVariants() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(ON, Boolean.TRUE);
        v.put(OFF, Boolean.FALSE);
        return Collections.unmodifiableMap(v);
    }

    public boolean hasVariant(String name) {
        return variants.containsKey(name);
    }
}
