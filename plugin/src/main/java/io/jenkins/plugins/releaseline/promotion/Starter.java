package io.jenkins.plugins.releaseline.promotion;

import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.ACL;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.security.core.GrantedAuthority;

/** Who started a build, and that user's groups: separation of duties and an environment's promoters refer to them. */
final class Starter {

    private static final Logger LOGGER = Logger.getLogger(Starter.class.getName());

    private Starter() {}

    /** The user id of the build's starter, or {@code SYSTEM} for builds started by a trigger. */
    static String of(Run<?, ?> run) {
        Cause.UserIdCause cause = run.getCause(Cause.UserIdCause.class);
        return cause != null && cause.getUserId() != null ? cause.getUserId() : ACL.SYSTEM_USERNAME;
    }

    /** The starter's groups as the security realm knows them now; empty where the realm cannot tell. */
    static Set<String> groups(String userId) {
        Set<String> groups = new TreeSet<>();
        if (ACL.SYSTEM_USERNAME.equals(userId)) {
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
