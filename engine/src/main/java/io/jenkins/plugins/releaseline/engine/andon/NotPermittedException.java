package io.jenkins.plugins.releaseline.engine.andon;

/** A principal asked for a change they may not make; nothing changed. */
public final class NotPermittedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotPermittedException(String principal, AndonPermissions.Action action) {
        super(principal + " may not " + action.name().toLowerCase(java.util.Locale.ROOT)
                + " on the Andon board; ask an administrator for the Andon " + action.name().charAt(0)
                + action.name().substring(1).toLowerCase(java.util.Locale.ROOT) + " permission");
    }
}
