package io.jenkins.plugins.releaseline.engine.telemetry;

import io.jenkins.plugins.releaseline.engine.promotion.LedgerKind;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The suite's metrics in the Prometheus text format, from stored records: promotions by environment and outcome
 * and rollbacks (the ledger, folded incrementally by {@link DeliveryTelemetry}), freezes active and time frozen
 * (the freeze board), canary analyses by verdict and canary rollbacks (the canary history), toggle flips (the
 * audit trail), and the DORA figures of each environment over the last 30 days. The same numbers are offered as
 * {@link Sample}s for other registries (the Jenkins metrics plugin).
 */
public final class DeliveryMetrics {

    public static final String CONTENT_TYPE = PrometheusText.CONTENT_TYPE;
    public static final Duration DORA_WINDOW = Duration.ofDays(30);

    /** One value of one family. */
    public record Sample(String name, String type, String help, Map<String, String> labels, double value) {}

    private static final List<LedgerKind> OUTCOMES = List.of(LedgerKind.DEPLOYED, LedgerKind.FAILED, LedgerKind.ROLLED_BACK,
            LedgerKind.VERIFIED, LedgerKind.REFUSED, LedgerKind.REJECTED, LedgerKind.CANCELLED);

    private final Store store;
    private final DeliveryTelemetry telemetry;
    private final Clock clock;

    public DeliveryMetrics(Store store, DeliveryTelemetry telemetry, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every sample, grouped by family in a fixed order. */
    public List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        Map<String, Map<LedgerKind, Long>> counts = telemetry.ledgerCounts();
        String promotions = "release_line_promotions_total";
        String promotionsHelp = "Promotion outcomes recorded in the ledger, by environment and outcome.";
        counts.forEach((env, byKind) -> OUTCOMES.forEach(k -> out.add(new Sample(promotions, "counter", promotionsHelp,
                labels("environment", env, "outcome", k.name().toLowerCase(Locale.ROOT)), byKind.get(k)))));
        counts.forEach((env, byKind) -> out.add(new Sample("release_line_rollbacks_total", "counter",
                "Rollbacks deployed, by environment.", labels("environment", env), byKind.get(LedgerKind.ROLLED_BACK))));
        store.read(c -> {
            freezes(c, out);
            canary(c, out);
            toggles(c, out);
            return null;
        });
        for (String env : counts.keySet()) {
            DoraFigures f = telemetry.figures(env, DORA_WINDOW);
            Map<String, String> l = labels("environment", env);
            out.add(new Sample("release_line_dora_deployments_per_day", "gauge",
                    "Deployments per day over the last 30 days.", l, f.deploymentsPerDay()));
            if (f.leadTimeMedian() != null) {
                out.add(new Sample("release_line_dora_lead_time_seconds", "gauge",
                        "Median lead time for changes (commit to deployment) over the last 30 days.", l, seconds(f.leadTimeMedian())));
            }
            if (f.changeFailureRate() != null) {
                out.add(new Sample("release_line_dora_change_failure_ratio", "gauge",
                        "Change failure rate over the last 30 days (0 to 1).", l, f.changeFailureRate()));
            }
            if (f.timeToRestoreMedian() != null) {
                out.add(new Sample("release_line_dora_time_to_restore_seconds", "gauge",
                        "Median time to restore over the last 30 days.", l, seconds(f.timeToRestoreMedian())));
            }
        }
        return out;
    }

    /** The text exposition of {@link #samples()}. */
    public String render() {
        PrometheusText text = new PrometheusText();
        Map<String, List<Sample>> families = new LinkedHashMap<>();
        for (Sample s : samples()) {
            families.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        families.forEach((name, list) -> {
            text.family(name, list.get(0).type(), list.get(0).help());
            list.forEach(s -> text.sample(name, s.labels(), s.value()));
        });
        return text.toString();
    }

    private void freezes(Connection c, List<Sample> out) throws SQLException {
        long now = clock.millis();
        Map<String, long[]> byScope = new TreeMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT scope_job, scope_env, pulled_at, expires_at, released_at "
                + "FROM release_line_andon_freeze");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String job = rs.getString(1);
                String env = rs.getString(2);
                String scope = job == null && env == null ? "everything"
                        : (job == null ? "" : "job:" + job) + (job != null && env != null ? "," : "") + (env == null ? "" : "environment:" + env);
                long pulled = rs.getLong(3);
                long expires = rs.getLong(4);
                boolean noExpiry = rs.wasNull();
                long released = rs.getLong(5);
                boolean notReleased = rs.wasNull();
                long end = !notReleased ? released : !noExpiry && expires <= now ? expires : now;
                boolean active = notReleased && (noExpiry || expires > now);
                long[] v = byScope.computeIfAbsent(scope, k -> new long[2]);
                v[0] += active ? 1 : 0;
                v[1] += Math.max(0, Math.min(end, now) - pulled);
            }
        }
        long total = byScope.values().stream().mapToLong(v -> v[0]).sum();
        out.add(new Sample("release_line_freezes_active", "gauge", "Andon freezes holding work back now.", Map.of(), total));
        byScope.forEach((scope, v) -> out.add(new Sample("release_line_frozen_seconds_total", "counter",
                "Time frozen by Andon pulls, by scope, until now (overlapping freezes add up).", labels("scope", scope), v[1] / 1000.0)));
    }

    private static void canary(Connection c, List<Sample> out) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT verdict, COUNT(*) FROM release_line_canary_event "
                + "WHERE kind = 'ANALYSIS' AND verdict IS NOT NULL GROUP BY verdict ORDER BY verdict");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new Sample("release_line_canary_analyses_total", "counter", "Canary analyses, by verdict.",
                        labels("verdict", rs.getString(1).toLowerCase(Locale.ROOT)), rs.getLong(2)));
            }
        }
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM release_line_canary_event WHERE kind = 'ROLLED_BACK'");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            out.add(new Sample("release_line_canary_rollbacks_total", "counter", "Canary rollouts rolled back.", Map.of(), rs.getLong(1)));
        }
    }

    private static void toggles(Connection c, List<Sample> out) throws SQLException {
        Map<String, Long> flips = new TreeMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT scope, action, COUNT(*) FROM release_line_audit "
                + "WHERE action IN ('toggle.enable', 'toggle.disable', 'toggle.kill') GROUP BY scope, action");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String scope = rs.getString(1);
                int slash = scope.lastIndexOf('/');
                String env = slash < 0 ? "" : scope.substring(slash + 1);
                String state = rs.getString(2).equals("toggle.enable") ? "on" : "off";
                flips.merge(env + "\n" + state, rs.getLong(3), Long::sum);
            }
        }
        flips.forEach((key, n) -> {
            String[] k = key.split("\n", 2);
            out.add(new Sample("release_line_toggle_flips_total", "counter", "Feature toggles switched on or off, by environment.",
                    labels("environment", k[0], "to", k[1]), n));
        });
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
