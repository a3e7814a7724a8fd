package io.jenkins.plugins.releaseline.engine.rollout.router;

import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A router that is the pipeline's own code, for infrastructure none of the other routers speak (DNS weights, a
 * service mesh, a CDN). Moving traffic means running that code with the wanted split in its environment
 * ({@link #environment}); the code reports the split it put in effect, and this router records the report in the
 * store (audited), because it cannot ask the infrastructure itself. {@link #read()} is therefore the last report,
 * as trustworthy as the code that made it, and says so in the docs. Until the first report, the backend named
 * {@code initiallyLive} is taken to hold all traffic.
 */
public final class CommandRouter implements TrafficRouter {

    /** Environment variables the pipeline's code gets. */
    public static final String TARGET_COLOR = "RELEASE_LINE_TARGET_COLOR";
    public static final String CANARY_WEIGHT = "RELEASE_LINE_CANARY_WEIGHT";
    public static final String WEIGHTS = "RELEASE_LINE_WEIGHTS";

    /** Runs the pipeline's code for {@code target} and returns what it reported (or throws {@link RouterException}). */
    @FunctionalInterface
    public interface Commands {
        Report route(TrafficSplit target, Map<String, String> environment);
    }

    /** What the code reported: the split in effect, and its own words. */
    public record Report(TrafficSplit split, String output) {}

    private final String name;
    private final List<String> backends;
    private final String initiallyLive;
    private final Commands commands;
    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final String principal;
    /** The canary's backend when this router runs a canary rollout; null for blue-green. */
    private final String canary;

    public CommandRouter(String name, List<String> backends, String initiallyLive, Commands commands, Store store, AuditTrail audit,
                         Clock clock, String principal) {
        this(name, backends, initiallyLive, commands, store, audit, clock, principal, null);
    }

    /**
     * The router of a canary rollout whose pipeline code moves the traffic: {@value #CANARY_WEIGHT} is always the
     * canary's weight, so that the code's {@code set-weights --canary $RELEASE_LINE_CANARY_WEIGHT} sends the canary
     * 0% when the rollout is rolled back or aborted (a blue-green router gives the gaining colour's weight instead).
     */
    public static CommandRouter forCanary(String name, String stable, String canary, Commands commands, Store store, AuditTrail audit,
                                          Clock clock, String principal) {
        if (canary != null && canary.equals(stable)) {
            throw new IllegalArgumentException("canary: '" + canary + "' is also the stable backend's name; give the canary another");
        }
        return new CommandRouter(name, List.of(stable, canary), stable, commands, store, audit, clock, principal,
                Inputs.requireName("canary", canary, 100));
    }

    private CommandRouter(String name, List<String> backends, String initiallyLive, Commands commands, Store store, AuditTrail audit,
                          Clock clock, String principal, String canary) {
        this.name = Inputs.requireName("name", name, 100);
        if (backends == null || backends.size() < 2) {
            throw new IllegalArgumentException("backends: name at least two, e.g. blue and green");
        }
        backends.forEach(b -> Inputs.requireName("backends", b, 100));
        this.backends = List.copyOf(backends);
        if (!backends.contains(initiallyLive)) {
            throw new IllegalArgumentException("initiallyLive: '" + initiallyLive + "' is not one of " + backends);
        }
        this.initiallyLive = initiallyLive;
        this.commands = Objects.requireNonNull(commands, "commands");
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.principal = Inputs.requirePrincipal(principal);
        this.canary = canary;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> backends() {
        return backends;
    }

    /**
     * The variables for the code: the target colour (the one gaining traffic), every weight, and as
     * {@value #CANARY_WEIGHT} the canary's weight when {@code canary} is given, else the target colour's.
     */
    static Map<String, String> environment(TrafficSplit target, TrafficSplit current, String canary) {
        String gaining = target.percent().keySet().stream()
                .filter(b -> target.of(b) > current.of(b)).findFirst()
                .orElse(target.percent().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
        Map<String, String> env = new LinkedHashMap<>();
        env.put(TARGET_COLOR, gaining);
        env.put(CANARY_WEIGHT, Integer.toString(target.of(canary != null ? canary : gaining)));
        env.put(WEIGHTS, format(target));
        return env;
    }

    /** {@code blue=0,green=100} */
    public static String format(TrafficSplit split) {
        StringBuilder sb = new StringBuilder();
        split.percent().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    /** Parses {@code blue=0,green=100} (spaces and ';' allowed) as the code may print or return it. */
    public static TrafficSplit parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("report: empty; the code must report the split it put in effect, as blue=0,green=100");
        }
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String part : text.strip().split("[,;\\s]+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("report: '" + Inputs.printable(part) + "' is not backend=percent");
            }
            try {
                m.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("report: '" + Inputs.printable(part) + "' has no whole-number percentage");
            }
        }
        return new TrafficSplit(m);
    }

    @Override
    public TrafficSplit read() {
        return lastReport().map(Map.Entry::getKey).orElse(TrafficSplit.all(initiallyLive, backends));
    }

    /** The last reported split and the code's words, if the code ever reported. */
    public Optional<Map.Entry<TrafficSplit, String>> lastReport() {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT split, detail FROM release_line_command_router WHERE router = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(Map.entry(parse(rs.getString(1)), rs.getString(2) == null ? "" : rs.getString(2)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public TrafficSplit apply(TrafficSplit target) {
        RouterWeights.requireSameBackends(name, backends, target);
        TrafficSplit current = read();
        Report report = commands.route(target, environment(target, current, canary));
        if (report == null || report.split() == null) {
            throw new RouterException("router " + name + ": the pipeline's code reported no split; it must report what it put in effect", false);
        }
        record(report);
        if (!report.split().equals(target)) {
            throw new RouterException("router " + name + ": the pipeline's code reported " + report.split().percent() + " after being asked for "
                    + target.percent(), false);
        }
        return report.split();
    }

    private void record(Report report) {
        String split = format(report.split());
        String output = report.output() == null ? null : Inputs.requireLength("output", report.output().length() > 4000
                ? report.output().substring(report.output().length() - 4000) : report.output(), 4000);
        long now = clock.millis();
        store.inTransaction(c -> {
            String before = null;
            try (PreparedStatement q = c.prepareStatement("SELECT split FROM release_line_command_router WHERE router = ? FOR UPDATE")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        before = rs.getString(1);
                    }
                }
            }
            String sql = before == null
                    ? "INSERT INTO release_line_command_router (split, reported_at, reported_by, detail, router) VALUES (?, ?, ?, ?, ?)"
                    : "UPDATE release_line_command_router SET split = ?, reported_at = ?, reported_by = ?, detail = ? WHERE router = ?";
            try (PreparedStatement w = c.prepareStatement(sql)) {
                w.setString(1, split);
                w.setLong(2, now);
                w.setString(3, principal);
                w.setString(4, output);
                w.setString(5, name);
                w.executeUpdate();
            }
            audit.append(c, principal, new AuditEvent("router.command.report", AuditScope.of(AuditScope.Kind.ROUTER, name), null,
                    before == null ? null : "{\"split\":\"" + before + "\"}", "{\"split\":\"" + split + "\"}"));
            return null;
        });
    }

    @Override
    public Map<String, BackendHealth> health() {
        Map<String, BackendHealth> out = new LinkedHashMap<>();
        backends.forEach(b -> out.put(b, BackendHealth.unknown("the pipeline's code reports no health; the HTTP checks decide")));
        return out;
    }

    @Override
    public String toString() {
        return "command router " + name + " " + backends;
    }
}
