package io.jenkins.plugins.releaseline.cli;

import picocli.CommandLine.Option;

/**
 * Who acts. On a store, the person the store knows is connected (the PostgreSQL role, or the operating-system user
 * for an H2 file: {@link Engines#actAs}); {@code --as} asks to act in someone else's name, which only a holder of
 * the impersonation grant may, and the audit trail then names both.
 */
public final class OperatorOptions {

    static final String VARIABLE = "RELEASE_LINE_OPERATOR";

    @Option(names = "--as", paramLabel = "NAME",
            description = "Act in NAME's name (default: $" + VARIABLE + ", else yourself: the PostgreSQL role or your login). "
                    + "Someone else's name needs the impersonation grant (release-line store grant-impersonation); the audit "
                    + "trail then records \"you as NAME\".")
    String operator;

    /** The name asked for with {@code --as} (or the environment variable); null to act as oneself. */
    String requested() {
        if (operator != null) {
            return operator;
        }
        String env = System.getenv(VARIABLE);
        return env != null && !env.isBlank() ? env : null;
    }

    /**
     * For a store this command creates for itself (the rehearsal's own folder), where nobody else's records are: the
     * name asked for, else the login name.
     */
    String principal() {
        String asked = requested();
        return asked != null ? asked : System.getProperty("user.name");
    }
}
