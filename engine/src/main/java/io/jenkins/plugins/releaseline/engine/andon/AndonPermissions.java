package io.jenkins.plugins.releaseline.engine.andon;

/**
 * Who may do what on the board. In Jenkins this asks the permission group (Pull, Release, Override); the
 * engine asks it again before every change, so that no caller can skip the check.
 */
@FunctionalInterface
public interface AndonPermissions {

    /** What a principal asks to do. */
    enum Action { PULL, RELEASE, OVERRIDE }

    boolean permits(String principal, Action action);

    /** Anyone may pull and release; only the named principals may override. */
    static AndonPermissions overrideOnlyBy(java.util.Set<String> overriders) {
        java.util.Set<String> copy = java.util.Set.copyOf(overriders);
        return (principal, action) -> action != Action.OVERRIDE || copy.contains(principal);
    }
}
