package io.jenkins.plugins.releaseline.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code release-line store grant-impersonation|revoke-impersonation USER}: who may use {@code --as} for someone
 * else. Only the store's owner may change it ({@link Engines#ownsStore}), in their own name, and each change is an
 * audit record.
 */
final class ImpersonationCommands {

    private ImpersonationCommands() {}

    abstract static class Change extends StoreCommand {
        @Parameters(index = "0", paramLabel = "USER", description = "The person: a PostgreSQL role, or a login name for an H2 store.")
        String grantee;

        @Option(names = "--reason", description = "Why (in the audit trail).")
        String reason;

        abstract boolean grant();

        @Override
        int run(Engines e) {
            String me = e.connectedPerson();
            if (!principal().equals(me)) {
                throw new IllegalArgumentException("--as: not with " + spec.name() + "; the store's owner changes grants in "
                        + "their own name; leave --as out");
            }
            if (!e.ownsStore()) {
                throw new RefusedException(spec.name() + ": " + me + " does not own this store; only " + e.ownerDescription()
                        + " may grant or revoke impersonation");
            }
            boolean changed = e.setGrant(grantee, grant(), me, reason);
            if (json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("grantee", grantee.strip());
                doc.put("mayImpersonate", grant());
                doc.put("changed", changed);
                json(doc);
            } else {
                out().println(grantee.strip() + (grant() ? " may act in others' names with --as" : " may no longer use --as for others")
                        + (changed ? "" : " (already so; nothing changed)"));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "grant-impersonation", mixinStandardHelpOptions = true,
            description = "Let USER act in others' names with --as (only the store's owner may; recorded in the audit trail).")
    static final class Grant extends Change {
        @Override
        boolean grant() {
            return true;
        }
    }

    @Command(name = "revoke-impersonation", mixinStandardHelpOptions = true,
            description = "Take the impersonation grant back from USER (only the store's owner may; recorded in the audit trail).")
    static final class Revoke extends Change {
        @Override
        boolean grant() {
            return false;
        }
    }
}
