package io.jenkins.plugins.releaseline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.ACL;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who acts, as the audit trail and the engine record it: a Jenkins user id, {@code anonymous}, or {@code SYSTEM}
 * ({@link ACL#SYSTEM2}'s name). The one place the plugin names the acting user:
 * <ul>
 *   <li>{@link #id()}: whoever acts on this thread (a web request, a CLI command, a build's authentication);
 *   <li>{@link #of(Run)}: the same, but a build running as the system is named by its externalizable id
 *       ({@code folder/job#12}), so that the record says which build acted;
 *   <li>{@link #starter(Run)}: who started the build ({@code SYSTEM} for a trigger), and {@link #groups(String)}
 *       that user's groups, for separation of duties and an environment's promoters.
 * </ul>
 * Build steps compute the name on the CPS VM thread where the build's authentication is in force, keep it in a
 * field, and hand it to the engine from {@code jenkins.util.Timer}, where the authentication is the system's.
 */
public final class ActingUser {

    private static final Logger LOGGER = Logger.getLogger(ActingUser.class.getName());

    /** The name recorded for the system: {@code SYSTEM}. */
    public static final String SYSTEM = ACL.SYSTEM2.getName();

    private ActingUser() {}

    /** Whoever acts on this thread. */
    @NonNull
    public static String id() {
        Authentication authentication = Jenkins.getAuthentication2();
        if (ACL.SYSTEM2.equals(authentication)) {
            // User.current() would create a user record named SYSTEM
            return SYSTEM;
        }
        User user = User.current();
        if (user != null) {
            return user.getId();
        }
        String name = authentication.getName();
        return name == null || name.isBlank() ? SYSTEM : name;
    }

    /** Whoever acts on this thread, or the build's externalizable id where the build runs as the system. */
    @NonNull
    public static String of(@CheckForNull Run<?, ?> run) {
        String id = id();
        if (run != null && SYSTEM.equals(id)) {
            return run.getExternalizableId();
        }
        return id;
    }

    /** The user id of the build's starter, or {@code SYSTEM} for a build started by a trigger. */
    @NonNull
    public static String starter(@NonNull Run<?, ?> run) {
        Cause.UserIdCause cause = run.getCause(Cause.UserIdCause.class);
        return cause != null && cause.getUserId() != null ? cause.getUserId() : SYSTEM;
    }

    /** The user's groups as the security realm knows them now; empty for the system or where the realm cannot tell. */
    @NonNull
    public static Set<String> groups(@NonNull String userId) {
        Set<String> groups = new TreeSet<>();
        if (SYSTEM.equals(userId)) {
            return groups;
        }
        User user = User.getById(userId, false);
        if (user == null) {
            return groups;
        }
        try {
            for (GrantedAuthority a : user.impersonate2().getAuthorities()) {
                if (a.getAuthority() != null) {
                    groups.add(a.getAuthority());
                }
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "Could not look up the groups of " + userId, e);
        }
        return groups;
    }
}
