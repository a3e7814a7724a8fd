package io.jenkins.plugins.releaseline.andon;

import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.andon.WorkKind;
import io.jenkins.plugins.releaseline.engine.andon.WorkScope;
import java.util.Locale;

/** Translates a build and the step's arguments into what the board's {@code check} asks about. */
final class AndonWork {

    private AndonWork() {}

    static WorkScope of(Run<?, ?> run, String environment) {
        return new WorkScope(
                run.getParent().getFullName(), Util.fixEmptyAndTrim(environment), run.getExternalizableId());
    }

    /** {@code deployment} (the default), {@code promotion} or {@code build}. */
    static WorkKind kind(String kind) {
        String k = Util.fixEmptyAndTrim(kind);
        if (k == null) {
            return WorkKind.DEPLOYMENT;
        }
        try {
            return WorkKind.valueOf(k.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kind: '" + k + "' is not deployment, promotion or build");
        }
    }
}
