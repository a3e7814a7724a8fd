package io.jenkins.plugins.releaseline.promotion;

import hudson.model.Run;
import io.jenkins.plugins.releaseline.ActingUser;
import java.util.Set;

/**
 * Who started a build, and that user's groups.
 *
 * @deprecated call {@link ActingUser#starter(Run)} and {@link ActingUser#groups(String)}
 */
@Deprecated
final class Starter {

    private Starter() {}

    static String of(Run<?, ?> run) {
        return ActingUser.starter(run);
    }

    static Set<String> groups(String userId) {
        return ActingUser.groups(userId);
    }
}
