package io.jenkins.plugins.releaseline.engine.audit;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an audit record is about: {@code global}, or a kind and a name such as {@code environment:prod},
 * {@code job:team-a/app/main} or {@code toggle:new-checkout}. The text form is what is stored and queried.
 */
public record AuditScope(Kind kind, String name) {

    public static final int MAX_LENGTH = 500;

    /** The kinds of things the suite changes. */
    public enum Kind {
        GLOBAL, CONFIG, ANDON, FREEZE, JOB, ENVIRONMENT, ARTIFACT, PROMOTION, ROUTER, ROLLOUT, TOGGLE;

        String prefix() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final AuditScope GLOBAL = new AuditScope(Kind.GLOBAL, "");

    public AuditScope {
        if (kind == null) {
            throw new IllegalArgumentException("scope: the kind is missing; use one of " + kinds());
        }
        name = name == null ? "" : name;
        if (kind == Kind.GLOBAL && !name.isEmpty()) {
            throw new IllegalArgumentException("scope: 'global' takes no name");
        }
        if (kind != Kind.GLOBAL && name.isBlank()) {
            throw new IllegalArgumentException("scope: '" + kind.prefix() + "' needs a name, as in " + kind.prefix() + ":<name>");
        }
        Inputs.rejectControlCharacters("scope", name, false);
        Inputs.requireLength("scope", name, MAX_LENGTH - 20);
    }

    public static AuditScope of(Kind kind, String name) {
        return new AuditScope(kind, name);
    }

    /** Parses {@code global} or {@code kind:name}; an unknown kind is refused with the list of known ones. */
    public static AuditScope parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("scope: must not be empty; use 'global' or <kind>:<name> with a kind among " + kinds());
        }
        if (text.equals("global")) {
            return GLOBAL;
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("scope: '" + Inputs.printable(text) + "' is not 'global' or <kind>:<name>; kinds are " + kinds());
        }
        String kind = text.substring(0, colon);
        for (Kind k : Kind.values()) {
            if (k != Kind.GLOBAL && k.prefix().equals(kind)) {
                return new AuditScope(k, text.substring(colon + 1));
            }
        }
        throw new IllegalArgumentException("scope: unknown kind '" + Inputs.printable(kind) + "'; use one of " + kinds());
    }

    private static String kinds() {
        return Arrays.stream(Kind.values()).map(Kind::prefix).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return kind == Kind.GLOBAL ? "global" : kind.prefix() + ":" + name;
    }
}
