package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.andon.AndonFreezeCheck;
import io.jenkins.plugins.releaseline.engine.andon.AndonPermissions;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.store.Dialect;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.telemetry.TelemetryFacts;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;

/**
 * The engine's production classes over one store, as the plugin wires them: the freeze board answers the promotion
 * engine's freeze gate ({@link AndonFreezeCheck}) and delivery telemetry listens to its ledger
 * ({@link TelemetryFacts#LEDGER}). Created lazily; closing closes the board's timer and the store.
 */
public final class Engines implements AutoCloseable {

    private final Store store;
    private final Clock clock;
    private AuditTrail audit;
    private String acting;
    private FreezeBoard board;
    private PromotionEngine promotions;
    private CanaryController canaries;
    private BlueGreenController blueGreen;
    private FeatureToggles toggles;

    public Engines(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.audit = new AuditTrail(store, clock);
    }

    public Store store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public synchronized AuditTrail audit() {
        return audit;
    }

    // ---- who acts

    /**
     * The person the store knows is connected: on PostgreSQL the database role ({@code current_user}; one role per
     * person), on an H2 file the operating-system user running this command ({@code user.name}).
     */
    public String connectedPerson() {
        if (store.dialect() == Dialect.POSTGRESQL) {
            return store.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
        }
        return System.getProperty("user.name");
    }

    /**
     * Decides who acts, once, before any engine is used: the connected person; or, with {@code requested} (the
     * command's {@code --as}) naming someone else, that name, if the connected person holds the impersonation grant.
     * Every record the audit trail then writes in that name says both ({@code "alice as carol"}).
     *
     * @throws RefusedException when the connected person may not act as {@code requested}
     */
    public synchronized String actAs(String requested) {
        String me = connectedPerson();
        if (me == null || me.isBlank()) {
            throw new IllegalArgumentException("who acts: the store does not say who is connected; on H2 the system property "
                    + "user.name is empty");
        }
        if (requested == null || requested.isBlank() || requested.strip().equals(me)) {
            acting = me;
            return me;
        }
        String as = Inputs.requirePrincipal(requested);
        if (!holdsGrant(me)) {
            throw new RefusedException("--as " + as + ": you are connected as " + me + " (" + connectionKind()
                    + "), who may not act in someone else's name. Leave --as out to act as " + me
                    + ", or have the store's owner run: release-line store grant-impersonation " + me);
        }
        if (board != null || promotions != null || canaries != null || blueGreen != null || toggles != null) {
            throw new IllegalStateException("who acts is decided before the engines are used");
        }
        audit = audit.impersonating(me, as);
        acting = as;
        return as;
    }

    /** The name this command acts in ({@link #actAs}); the connected person if nobody decided yet. */
    public synchronized String acting() {
        return acting != null ? acting : actAs(null);
    }

    private String connectionKind() {
        return store.dialect() == Dialect.POSTGRESQL ? "the PostgreSQL role" : "the login of this H2 store's user";
    }

    /** Whether {@code person} may act in others' names ({@code release_line_impersonation}). */
    public boolean holdsGrant(String person) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM release_line_impersonation WHERE grantee = ?")) {
                ps.setString(1, person);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * Whether the connected person owns the store and so may grant and revoke impersonation: on PostgreSQL a
     * superuser or a member of the role that owns {@code release_line_impersonation} (the role that ran the
     * migrations); on H2 the operating-system user who owns the store file.
     */
    public boolean ownsStore() {
        if (store.dialect() == Dialect.POSTGRESQL) {
            return store.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE((SELECT rolsuper FROM "
                        + "pg_roles WHERE rolname = current_user), false) OR pg_has_role(current_user, t.tableowner, 'MEMBER') "
                        + "FROM pg_tables t WHERE t.tablename = 'release_line_impersonation' AND t.schemaname = current_schema()")) {
                    return rs.next() && rs.getBoolean(1);
                }
            });
        }
        Path file = h2File();
        try {
            return file != null && Files.getOwner(file).getName().equals(connectedPerson());
        } catch (IOException e) {
            throw new IllegalArgumentException("store: cannot read the owner of " + file + ": " + CliInputs.why(e), e);
        }
    }

    /** Who owns the store, as {@link #ownsStore} decides it: for the refusal's message. */
    public String ownerDescription() {
        if (store.dialect() == Dialect.POSTGRESQL) {
            return "a superuser or the role that owns the table release_line_impersonation";
        }
        Path file = h2File();
        try {
            return "the owner of " + file + " (" + Files.getOwner(file).getName() + ")";
        } catch (IOException e) {
            return "the owner of " + file;
        }
    }

    private Path h2File() {
        String url = store.settings().jdbcUrl();
        String prefix = "jdbc:h2:file:";
        if (!url.startsWith(prefix)) {
            return null;
        }
        int semicolon = url.indexOf(';');
        return Path.of((semicolon < 0 ? url.substring(prefix.length()) : url.substring(prefix.length(), semicolon)) + ".mv.db");
    }

    /** Grants (true) or revokes (false) impersonation to {@code grantee}, with an audit record; false if nothing changed. */
    public boolean setGrant(String grantee, boolean grant, String by, String reason) {
        String who = Inputs.requirePrincipal(grantee);
        return store.inTransaction(c -> {
            boolean held;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM release_line_impersonation WHERE grantee = ?")) {
                ps.setString(1, who);
                try (ResultSet rs = ps.executeQuery()) {
                    held = rs.next();
                }
            }
            if (held == grant) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(grant
                    ? "INSERT INTO release_line_impersonation (grantee, granted_by, granted_millis) VALUES (?, ?, ?)"
                    : "DELETE FROM release_line_impersonation WHERE grantee = ?")) {
                ps.setString(1, who);
                if (grant) {
                    ps.setString(2, by);
                    ps.setLong(3, clock.millis());
                }
                ps.executeUpdate();
            }
            String what = (grant ? "may act in others' names: " : "may no longer act in others' names: ") + who;
            audit.append(c, by, AuditEvent.of(grant ? "store.impersonation.grant" : "store.impersonation.revoke",
                    AuditScope.of(AuditScope.Kind.CONFIG, "impersonation"), reason == null ? what : what + " (" + reason + ")"));
            return true;
        });
    }

    /** The board; from a terminal anyone with access to the store may pull and release, nobody may override. */
    public synchronized FreezeBoard board() {
        if (board == null) {
            board = new FreezeBoard(store, audit, clock, AndonPermissions.overrideOnlyBy(java.util.Set.of()));
        }
        return board;
    }

    public synchronized PromotionEngine promotions() {
        if (promotions == null) {
            FreezeBoard freezes = board();
            // a command runs without a change watcher: read the board again before each check
            promotions = new PromotionEngine(store, audit, clock, new AndonFreezeCheck(() -> {
                freezes.reload();
                return freezes;
            }), TelemetryFacts.LEDGER);
        }
        return promotions;
    }

    public synchronized CanaryController canaries() {
        if (canaries == null) {
            canaries = new CanaryController(store, audit, clock);
        }
        return canaries;
    }

    public synchronized BlueGreenController blueGreen() {
        if (blueGreen == null) {
            blueGreen = new BlueGreenController(store, audit, clock);
        }
        return blueGreen;
    }

    public synchronized FeatureToggles toggles() {
        if (toggles == null) {
            toggles = new FeatureToggles(store, audit, clock);
        }
        return toggles;
    }

    @Override
    public synchronized void close() {
        if (board != null) {
            board.close();
        }
        store.close();
    }
}
