package io.jenkins.plugins.releaseline.engine.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks on text that comes from users, pipelines and the command line before anything is written.
 * Each failure is an {@link IllegalArgumentException} whose message starts with the field's name and says
 * what to do instead; callers check everything first and write afterwards, so a refusal changes nothing.
 */
public final class Inputs {

    public static final int MAX_PRINCIPAL = 200;
    public static final int MAX_REASON = 2_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Inputs() {}

    /** A user or service name: required, no control characters. */
    public static String requirePrincipal(String principal) {
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("principal: must name who acts (a user id or a service name); it was "
                    + (principal == null ? "missing" : "blank"));
        }
        rejectControlCharacters("principal", principal, false);
        return requireLength("principal", principal.strip(), MAX_PRINCIPAL);
    }

    /** Free text saying why; {@code required} for a freeze, optional elsewhere. Line breaks and tabs are allowed. */
    public static String reason(String reason, boolean required) {
        if (reason == null || reason.isBlank()) {
            if (required) {
                throw new IllegalArgumentException("reason: must say why (free text, up to " + MAX_REASON + " characters)");
            }
            return null;
        }
        rejectControlCharacters("reason", reason, true);
        return requireLength("reason", reason.strip(), MAX_REASON);
    }

    /** A machine name (controller id, environment, toggle key part): letters, digits, '.', '_' and '-'. */
    public static String requireName(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": must not be empty");
        }
        requireLength(field, value, max);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": '" + printable(value)
                    + "' may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit");
        }
        return value;
    }

    public static String requireLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(field + ": " + value.length() + " characters is over the limit of " + max + "; shorten it");
        }
        return value;
    }

    public static void rejectControlCharacters(String field, String value, boolean allowLineBreaks) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\t';
            if ((Character.isISOControl(c) && !(allowLineBreaks && lineBreak)) || c == '\u2028' || c == '\u2029') {
                throw new IllegalArgumentException(field + ": contains the control character U+"
                        + String.format("%04X", (int) c) + " at position " + i + "; remove it");
            }
        }
    }

    /** For error messages: the value with control characters made visible and its length bounded. */
    public static String printable(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && sb.length() < 80; i++) {
            char c = value.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > 80 ? sb + "..." : sb.toString();
    }

    /**
     * A map argument of a step or command ({@code key: [name: value]}) as text values: refuses a key outside
     * {@code allowed} and control characters, naming {@code key.name}; null is an empty map.
     */
    public static Map<String, String> stringMap(String key, Object v, Set<String> allowed) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(key + ": must be a map with " + new TreeSet<>(allowed));
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException(key + "." + k + ": unknown; use " + new TreeSet<>(allowed));
            }
            if (e.getValue() != null) {
                String s = e.getValue().toString();
                rejectControlCharacters(key + "." + k, s, false);
                out.put(k, s);
            }
        }
        return out;
    }
}
