package io.jenkins.plugins.releaseline.engine.telemetry;

import io.jenkins.plugins.releaseline.engine.audit.AuditQuery;
import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The first draft of a postmortem, in Markdown, for a freeze or a rollback: the timeline from the audit trail,
 * the builds the freeze held back, the break-glass overrides, the deployments involved (from the promotion
 * ledger), and empty sections for the cause and the actions, for people to fill in. User text (reasons, notes) is
 * escaped so that it shows as written and never as markup.
 */
public final class PostmortemStarter {

    private static final int MAX_ROWS = 500;

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;

    public PostmortemStarter(Store store, AuditTrail audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A postmortem a build page offers: {@code kind} is {@code freeze} or {@code rollback}. */
    public record Available(String kind, long id, String title) {
        public String fileName() {
            return PostmortemStarter.fileName(kind, id);
        }
    }

    /**
     * The starters a build's page offers: the freezes its failure pulled (a line job's freeze names the failing
     * build as {@code buildId}, such as {@code team/app#41}) and the rollbacks it deployed (the ledger names the
     * build by its job and URL).
     */
    public List<Available> forBuild(String jobPath, String buildId, String buildLink) {
        if (jobPath == null || jobPath.isBlank()) {
            return List.of();
        }
        return store.read(c -> {
            List<Available> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id, reason FROM release_line_andon_freeze WHERE line_job = ? "
                    + "AND line_build = ? ORDER BY id FETCH FIRST 20 ROWS ONLY")) {
                q.setString(1, jobPath);
                q.setString(2, buildId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Available("freeze", rs.getLong(1), "freeze-" + rs.getLong(1) + ": " + rs.getString(2)));
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT id, environment, artifact, version FROM release_line_promotion "
                    + "WHERE job_path = ? AND build_link = ? AND rollback = TRUE ORDER BY id FETCH FIRST 20 ROWS ONLY")) {
                q.setString(1, jobPath);
                q.setString(2, buildLink);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Available("rollback", rs.getLong(1), "rollback of " + rs.getString(3) + " in " + rs.getString(2)
                                + " to " + rs.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    /** The latest freezes and deployed rollbacks, newest first, at most {@code limit} of each. */
    public List<Available> recent(int limit) {
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("limit: " + limit + " is outside 1..200");
        }
        return store.read(c -> {
            List<Available> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id, reason FROM release_line_andon_freeze ORDER BY id DESC FETCH FIRST "
                    + limit + " ROWS ONLY"); ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Available("freeze", rs.getLong(1), "freeze-" + rs.getLong(1) + ": " + rs.getString(2)));
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT promotion_id, environment, artifact, version FROM "
                    + "release_line_promotion_event WHERE kind = 'ROLLED_BACK' ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Available("rollback", rs.getLong(1), "rollback of " + rs.getString(3) + " in " + rs.getString(2)
                            + " to " + rs.getString(4)));
                }
            }
            return out;
        });
    }

    /** The starter of {@code kind} ({@code freeze} or {@code rollback}) and {@code id}. */
    public String starter(String kind, long id) {
        return switch (kind == null ? "" : kind) {
            case "freeze" -> forFreeze(id);
            case "rollback" -> forRollback(id);
            default -> throw new IllegalArgumentException("kind: '" + kind + "' is not known; use freeze or rollback");
        };
    }

    /** The file name a download should carry. */
    public static String fileName(String kind, long id) {
        return "postmortem-" + kind + "-" + id + ".md";
    }

    /** The starter for freeze {@code freezeId}; refused when there is no such freeze. */
    public String forFreeze(long freezeId) {
        Instant now = clock.instant();
        return store.read(c -> {
            String job;
            String env;
            String pulledBy;
            Instant pulled;
            String reason;
            String link;
            Instant end;
            String releasedBy;
            String note;
            try (PreparedStatement q = c.prepareStatement("SELECT scope_job, scope_env, pulled_by, pulled_at, reason, link, expires_at, "
                    + "released_by, released_at, release_note FROM release_line_andon_freeze WHERE id = ?")) {
                q.setLong(1, freezeId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("freeze: there is no freeze-" + freezeId);
                    }
                    job = rs.getString(1);
                    env = rs.getString(2);
                    pulledBy = rs.getString(3);
                    pulled = Instant.ofEpochMilli(rs.getLong(4));
                    reason = rs.getString(5);
                    link = rs.getString(6);
                    long expires = rs.getLong(7);
                    Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
                    releasedBy = rs.getString(8);
                    long released = rs.getLong(9);
                    Instant releasedAt = rs.wasNull() ? null : Instant.ofEpochMilli(released);
                    note = rs.getString(10);
                    end = releasedAt != null ? releasedAt : expiresAt != null && !expiresAt.isAfter(now) ? expiresAt : null;
                }
            }
            String scope = job == null && env == null ? "everything"
                    : (job == null ? "" : "job:" + job) + (job != null && env != null ? "," : "") + (env == null ? "" : "environment:" + env);
            StringBuilder md = new StringBuilder();
            md.append("# Postmortem: freeze-").append(freezeId).append("\n\n");
            md.append("- **Scope:** ").append(text(scope)).append('\n');
            md.append("- **Pulled by:** ").append(text(pulledBy)).append(" at ").append(pulled).append('\n');
            md.append("- **Reason:** ").append(text(reason)).append('\n');
            if (link != null) {
                md.append("- **Link:** <").append(link.replace(">", "%3E").replace(" ", "%20")).append(">\n");
            }
            md.append("- **Ended:** ").append(end == null ? "still active at " + now : end + (releasedBy == null ? " (expired)"
                    : " (released by " + text(releasedBy) + (note == null ? "" : ": " + text(note)) + ")")).append('\n');
            md.append("- **Duration:** ").append(human(Duration.between(pulled, end == null ? now : end))).append("\n\n");

            timeline(md, audit.query(AuditQuery.all(AuditQuery.MAX_LIMIT).in(AuditScope.of(AuditScope.Kind.FREEZE, "freeze-" + freezeId), false))
                    .records(), pulled);

            md.append("## Builds blocked\n\n");
            List<String[]> blocked = rows(c, "SELECT work_id, at_millis FROM release_line_andon_blocked WHERE freeze_id = ? ORDER BY at_millis, work_id",
                    freezeId, 2, true);
            if (blocked.isEmpty()) {
                md.append("None recorded.\n\n");
            } else {
                md.append("| First held at | Work |\n|---|---|\n");
                blocked.forEach(r -> md.append("| ").append(r[1]).append(" | ").append(cell(r[0])).append(" |\n"));
                md.append('\n');
            }

            md.append("## Overrides\n\n");
            List<String[]> overrides = rows(c, "SELECT at_millis, principal, build, reason FROM release_line_andon_event "
                    + "WHERE freeze_id = ? AND kind = 'OVERRIDE' ORDER BY id", freezeId, 4, false);
            if (overrides.isEmpty()) {
                md.append("None.\n\n");
            } else {
                md.append("| At | By | Build | Reason |\n|---|---|---|---|\n");
                overrides.forEach(r -> md.append("| ").append(Instant.ofEpochMilli(Long.parseLong(r[0]))).append(" | ").append(cell(r[1]))
                        .append(" | ").append(cell(r[2])).append(" | ").append(cell(r[3])).append(" |\n"));
                md.append('\n');
            }

            deployments(c, md, env, null, pulled, end == null ? now : end);
            closing(md);
            return md.toString();
        });
    }

    /**
     * The starter for a rollback: {@code promotionId} is the rollback's promotion (or the promotion it rolled
     * back). Refused when neither is a rollback that was deployed.
     */
    public String forRollback(long promotionId) {
        return store.read(c -> {
            long rollbackId = promotionId;
            String[] r = promotion(c, promotionId);
            if (r == null) {
                throw new IllegalArgumentException("promotion: there is no promotion " + promotionId);
            }
            if (!"true".equals(r[6])) {
                String[] by = one(c, "SELECT promotion_id FROM release_line_promotion_event WHERE kind = 'ROLLED_BACK' AND environment = ? "
                        + "AND artifact = ? AND at_micros = ? ORDER BY id", r[0], r[1], Long.parseLong(r[5]));
                if (!"ROLLED_BACK".equals(r[4]) || by == null) {
                    throw new IllegalArgumentException("promotion: " + promotionId + " is neither a rollback nor a deployment that was rolled back");
                }
                rollbackId = Long.parseLong(by[0]);
                r = promotion(c, rollbackId);
            }
            String env = r[0];
            String artifact = r[1];
            String[] done = one(c, "SELECT at_micros, principal, comment FROM release_line_promotion_event WHERE promotion_id = ? "
                    + "AND kind = 'ROLLED_BACK' ORDER BY id", rollbackId);
            if (done == null) {
                throw new IllegalArgumentException("promotion: rollback " + rollbackId + " has not been deployed yet ("
                        + r[4].toLowerCase(java.util.Locale.ROOT) + "); the starter is written once it has");
            }
            Instant requested = EnvironmentHistory.instant(Long.parseLong(r[3]));
            Instant finished = EnvironmentHistory.instant(Long.parseLong(done[0]));
            String[] replaced = one(c, "SELECT id, version, digest, deployed_micros FROM release_line_promotion WHERE environment = ? "
                    + "AND artifact = ? AND status = 'ROLLED_BACK' AND status_micros = ? ORDER BY id DESC", env, artifact, Long.parseLong(done[0]));
            Instant from = replaced != null && replaced[3] != null ? EnvironmentHistory.instant(Long.parseLong(replaced[3])) : requested;

            StringBuilder md = new StringBuilder();
            md.append("# Postmortem: rollback of ").append(text(artifact)).append(" in ").append(text(env)).append("\n\n");
            md.append("- **Rolled back to:** ").append(text(artifact)).append(' ').append(text(r[7])).append(" (").append(r[8]).append(")\n");
            if (replaced != null) {
                md.append("- **Replaced:** ").append(text(artifact)).append(' ').append(text(replaced[1])).append(" (").append(replaced[2])
                        .append("), promotion ").append(replaced[0]).append(", deployed at ").append(from).append('\n');
            }
            md.append("- **Asked by:** ").append(text(r[2])).append(" at ").append(requested).append('\n');
            md.append("- **Reason:** ").append(text(r[9])).append('\n');
            md.append("- **Rolled back at:** ").append(finished).append(" (").append(human(Duration.between(requested, finished)))
                    .append(" after it was asked for, ").append(human(Duration.between(from, finished))).append(" after the replaced deployment)\n\n");

            timeline(md, audit.query(AuditQuery.all(AuditQuery.MAX_LIMIT).between(from, finished.plusMillis(1))
                    .in(AuditScope.of(AuditScope.Kind.PROMOTION, env + "/" + artifact), false)).records(), from);

            md.append("## Freezes and overrides meanwhile\n\n");
            List<String[]> freezes = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id, pulled_by, pulled_at, reason FROM release_line_andon_freeze "
                    + "WHERE (scope_env = ? OR (scope_env IS NULL AND scope_job IS NULL)) AND pulled_at <= ? "
                    + "AND (released_at IS NULL OR released_at >= ?) ORDER BY id")) {
                q.setString(1, env);
                q.setLong(2, finished.toEpochMilli());
                q.setLong(3, from.toEpochMilli());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        freezes.add(new String[] {rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)).toString(), rs.getString(4)});
                    }
                }
            }
            if (freezes.isEmpty()) {
                md.append("No freeze of ").append(text(env)).append(" was active.\n\n");
            } else {
                md.append("| Freeze | Pulled by | At | Reason |\n|---|---|---|---|\n");
                freezes.forEach(f -> md.append("| freeze-").append(f[0]).append(" | ").append(cell(f[1])).append(" | ").append(f[2])
                        .append(" | ").append(cell(f[3])).append(" |\n"));
                md.append('\n');
            }
            deployments(c, md, env, artifact, from, finished);
            closing(md);
            return md.toString();
        });
    }

    private static String[] promotion(Connection c, long id) throws SQLException {
        return one(c, "SELECT environment, artifact, requested_by, requested_micros, status, status_micros, "
                + "CASE WHEN rollback THEN 'true' ELSE 'false' END, version, digest, comment FROM release_line_promotion WHERE id = ?", id);
    }

    private static void timeline(StringBuilder md, List<AuditRecord> records, Instant start) {
        md.append("## Timeline\n\n");
        if (records.isEmpty()) {
            md.append("No audit records.\n\n");
            return;
        }
        md.append("| At | Since start | Who | What | Why |\n|---|---|---|---|---|\n");
        for (AuditRecord r : records) {
            md.append("| ").append(r.at()).append(" | ").append(human(Duration.between(start, r.at()))).append(" | ").append(cell(r.principal()))
                    .append(" | ").append(cell(r.action())).append(" | ").append(cell(r.reason() == null ? "" : r.reason())).append(" |\n");
        }
        md.append('\n');
    }

    private void deployments(Connection c, StringBuilder md, String env, String artifact, Instant from, Instant to) throws SQLException {
        md.append("## Deployments involved\n\n");
        StringBuilder sql = new StringBuilder("SELECT at_micros, environment, artifact, version, digest, kind, principal, promotion_id, comment "
                + "FROM release_line_promotion_event WHERE at_micros >= ? AND at_micros <= ? "
                + "AND kind IN ('REFUSED', 'STARTED', 'DEPLOYED', 'FAILED', 'ROLLED_BACK', 'CANCELLED')");
        List<Object> params = new ArrayList<>(List.of(EnvironmentHistory.micros(from), EnvironmentHistory.micros(to)));
        if (env != null) {
            sql.append(" AND environment = ?");
            params.add(env);
        }
        if (artifact != null) {
            sql.append(" AND artifact = ?");
            params.add(artifact);
        }
        sql.append(" ORDER BY id FETCH FIRST ").append(MAX_ROWS).append(" ROWS ONLY");
        List<String> lines = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                q.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    lines.add("| " + EnvironmentHistory.instant(rs.getLong(1)) + " | " + cell(rs.getString(2)) + " | " + cell(rs.getString(3))
                            + " " + cell(rs.getString(4)) + " | " + rs.getString(6).toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + " | " + cell(rs.getString(7)) + " | " + rs.getLong(8) + " | " + cell(rs.getString(9) == null ? "" : rs.getString(9)) + " |");
                }
            }
        }
        if (lines.isEmpty()) {
            md.append("None between ").append(from).append(" and ").append(to).append(".\n\n");
        } else {
            md.append("| At | Environment | Artifact | Outcome | By | Promotion | Note |\n|---|---|---|---|---|---|---|\n");
            lines.forEach(l -> md.append(l).append('\n'));
            md.append('\n');
        }
    }

    private static void closing(StringBuilder md) {
        md.append("## Cause\n\n_To be written._\n\n");
        md.append("## Actions\n\n| Action | Owner | Due |\n|---|---|---|\n| | | |\n");
    }

    private static List<String[]> rows(Connection c, String sql, long id, int columns, boolean millisSecond) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql + " FETCH FIRST " + MAX_ROWS + " ROWS ONLY")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    if (millisSecond) {
                        row[1] = Instant.ofEpochMilli(Long.parseLong(row[1])).toString();
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    private static String[] one(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String[] row = new String[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getString(i + 1);
                }
                return row;
            }
        }
    }

    /** User text in running Markdown: one line, and nothing that Markdown or HTML would read as markup. */
    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\n', '\r', '\t' -> out.append(' ');
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\\', '`', '*', '_', '[', ']', '|' -> out.append('\\').append(ch);
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static String cell(String s) {
        return text(s);
    }

    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        long minutes = s % 3_600 / 60;
        return (days > 0 ? days + "d " : "") + (days > 0 || hours > 0 ? hours + "h " : "") + minutes + "m";
    }
}
