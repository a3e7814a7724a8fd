package io.jenkins.plugins.releaseline.engine.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The JSON behind the DORA section of the Release Line page: per environment, the four figures over the last
 * {@link #WINDOW} with their bands, and a 90-day trend (one point a day, each over the seven days up to it).
 * Figures with no data are {@code null}, never zero.
 */
public final class DoraPage {

    public static final Duration WINDOW = Duration.ofDays(30);
    public static final int TREND_DAYS = 90;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeliveryTelemetry telemetry;
    private final Clock clock;

    public DoraPage(DeliveryTelemetry telemetry, Clock clock) {
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every environment the ledger knows, or only {@code environments} when given, days in {@code zone}. */
    public String json(List<String> environments, ZoneId zone) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generatedAt", clock.instant().toString());
        root.put("windowDays", WINDOW.toDays());
        root.put("trendDays", TREND_DAYS);
        root.put("timeZone", zone.getId());
        root.put("failureWindowHours", telemetry.failureWindow().toHours());
        ArrayNode envs = root.putArray("environments");
        for (String env : environments == null || environments.isEmpty() ? telemetry.environments() : environments) {
            DoraFigures f = telemetry.figures(env, WINDOW);
            ObjectNode e = envs.addObject();
            e.put("name", env);
            ObjectNode fig = e.putObject("figures");
            fig.put("deployments", f.deployments());
            fig.put("deploymentsPerDay", f.deploymentsPerDay());
            fig.put("leadTimeHours", hours(f.leadTimeMedian()));
            fig.put("leadTimeSamples", f.leadTimeSamples());
            fig.put("changes", f.changes());
            fig.put("failedChanges", f.failedChanges());
            fig.put("changeFailureRate", f.changeFailureRate());
            fig.put("timeToRestoreHours", hours(f.timeToRestoreMedian()));
            fig.put("restored", f.restored());
            fig.put("unrestored", f.unrestored());
            ObjectNode bands = e.putObject("bands");
            bands.put("deploymentFrequency", band(f.deploymentFrequencyBand()));
            bands.put("leadTime", band(f.leadTimeBand()));
            bands.put("changeFailureRate", band(f.changeFailureRateBand()));
            bands.put("timeToRestore", band(f.timeToRestoreBand()));
            ArrayNode trend = e.putArray("trend");
            for (DoraTrendPoint p : telemetry.trend(env, TREND_DAYS, zone)) {
                ObjectNode t = trend.addObject();
                t.put("day", p.day().toString());
                t.put("deployments", p.deployments());
                t.put("leadTimeHours", p.leadTimeHours());
                t.put("changeFailureRate", p.changeFailureRate());
                t.put("timeToRestoreHours", p.timeToRestoreHours());
            }
        }
        return root.toString();
    }

    private static Double hours(Duration d) {
        return d == null ? null : d.toMillis() / 3_600_000.0;
    }

    private static String band(DoraBand b) {
        return b.name().toLowerCase(Locale.ROOT);
    }
}
