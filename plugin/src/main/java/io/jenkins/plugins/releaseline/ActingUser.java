package io.jenkins.plugins.releaseline;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.User;
import hudson.security.ACL;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/** Who is acting, as the audit trail records it: a Jenkins user id, {@code anonymous}, or {@code SYSTEM}. */
public final class ActingUser {

    private ActingUser() {}

    @NonNull
    public static String id() {
        Authentication authentication = Jenkins.getAuthentication2();
        if (ACL.SYSTEM2.equals(authentication)) {
            // User.current() would create a user record named SYSTEM
            return ACL.SYSTEM_USERNAME;
        }
        User user = User.current();
        if (user != null) {
            return user.getId();
        }
        String name = authentication.getName();
        return name == null || name.isBlank() ? ACL.SYSTEM_USERNAME : name;
    }
}
