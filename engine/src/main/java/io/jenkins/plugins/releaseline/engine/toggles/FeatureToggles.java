package io.jenkins.plugins.releaseline.engine.toggles;

import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeSignals;
import io.jenkins.plugins.releaseline.engine.store.ChangeWatcher;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feature toggles: defined and set per environment in the store (every change audited in its own transaction and
 * signalled to other controllers), evaluated from an in-memory compiled snapshot that is rebuilt after each
 * change here and whenever a {@link ChangeWatcher} sees the {@value #TOPIC} topic move.
 */
public final class FeatureToggles {

    private static final Logger LOGGER = Logger.getLogger(FeatureToggles.class.getName());

    public static final String TOPIC = "toggles";
    public static final int MAX_ENVIRONMENTS = 50;

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile ToggleSnapshot snapshot;

    public FeatureToggles(Store store, AuditTrail audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.snapshot = load();
    }

    /** Reloads the snapshot whenever another controller changes toggles. */
    public void watch(ChangeWatcher watcher) {
        watcher.subscribe(TOPIC, topic -> reload());
    }

    /** Called after every new snapshot (a local change or one seen by the watcher), on the thread that made it. */
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void reload() {
        snapshot = load();
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "A toggle change listener failed", e);
            }
        }
    }

    public ToggleSnapshot snapshot() {
        return snapshot;
    }

    // ---- evaluation

    /** {@link #evaluate(String, String, ToggleContext, Object)} with no application default (null). */
    public ToggleEvaluation evaluate(String key, String environment, ToggleContext context) {
        return evaluate(key, environment, context, null);
    }

    /** Never throws: an unknown toggle or environment answers {@code applicationDefault} with reason ERROR. */
    public ToggleEvaluation evaluate(String key, String environment, ToggleContext context, Object applicationDefault) {
        return snapshot.evaluate(key, environment, context == null ? ToggleContext.EMPTY : context, applicationDefault);
    }

    /** As above for an unchecked context: a malformed one answers the default with INVALID_CONTEXT and the field named. */
    public ToggleEvaluation evaluate(String key, String environment, Map<String, ?> context, Object applicationDefault) {
        ToggleContext checked;
        try {
            checked = ToggleContext.of(context);
        } catch (IllegalArgumentException e) {
            return ToggleEvaluation.error(key, applicationDefault, EvaluationError.INVALID_CONTEXT, e.getMessage());
        }
        return evaluate(key, environment, checked, applicationDefault);
    }

    // ---- environments

    public List<String> environments() {
        return snapshot.environments();
    }

    /** Adds an environment (every toggle starts off there); adding one that exists changes nothing. */
    public void addEnvironment(String principal, String environment, String reason) {
        String who = Inputs.requirePrincipal(principal);
        String env = Inputs.requireName("environment", environment, 100);
        String why = Inputs.reason(reason, false);
        boolean added = retryIfCreatedConcurrently(() -> store.inTransaction(c -> {
            if (existingEnvironments(c).contains(env)) {
                return false;
            }
            if (existingEnvironments(c).size() >= MAX_ENVIRONMENTS) {
                throw new IllegalArgumentException("environment: there are already " + MAX_ENVIRONMENTS + " environments");
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO release_line_toggle_environment (name, sort_order, created_at_micros) "
                            + "VALUES (?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM release_line_toggle_environment), ?)")) {
                ins.setString(1, env);
                ins.setLong(2, micros(clock.instant()));
                ins.executeUpdate();
            }
            audit.append(c, who, new AuditEvent("toggle.environment-add", AuditScope.of(AuditScope.Kind.ENVIRONMENT, env), why,
                    null, "{\"environment\":" + ToggleJson.write(env) + "}"));
            ChangeSignals.raise(c, TOPIC);
            return true;
        }));
        if (added) {
            reload();
        }
    }

    // ---- definitions

    /** Creates a toggle (off in every environment) or updates its description, owner and variants. */
    public ToggleState define(String principal, ToggleDefinition definition, String reason) {
        String who = Inputs.requirePrincipal(principal);
        Objects.requireNonNull(definition, "definition");
        String why = Inputs.reason(reason, false);
        retryIfCreatedConcurrently(() -> store.inTransaction(c -> {
            Instant now = clock.instant();
            Optional<ToggleState> existing = lockToggle(c, definition.key());
            if (existing.isEmpty()) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_toggle "
                        + "(toggle_key, definition_json, created_at_micros, changed_at_micros) VALUES (?, ?, ?, ?)")) {
                    ins.setString(1, definition.key());
                    ins.setString(2, ToggleJson.write(definition));
                    ins.setLong(3, micros(now));
                    ins.setLong(4, micros(now));
                    ins.executeUpdate();
                }
                audit.append(c, who, new AuditEvent("toggle.define", scope(definition.key(), null), why, null, ToggleJson.write(definition)));
            } else {
                ToggleState before = existing.get();
                if (before.definition().equals(definition)) {
                    return null;
                }
                if (before.definition().type() != definition.type()) {
                    throw new IllegalArgumentException("type: toggle '" + definition.key() + "' is " + before.definition().type()
                            + "; delete it and define it again to change its type");
                }
                for (Map.Entry<String, EnvironmentSetting> e : before.settings().entrySet()) {
                    try {
                        e.getValue().requireVariantsOf(definition);
                    } catch (IllegalArgumentException bad) {
                        throw new IllegalArgumentException("variants: environment '" + e.getKey() + "' still uses a variant this change removes: "
                                + bad.getMessage(), bad);
                    }
                }
                try (PreparedStatement up = c.prepareStatement(
                        "UPDATE release_line_toggle SET definition_json = ?, changed_at_micros = ? WHERE toggle_key = ?")) {
                    up.setString(1, ToggleJson.write(definition));
                    up.setLong(2, micros(now));
                    up.setString(3, definition.key());
                    up.executeUpdate();
                }
                audit.append(c, who, new AuditEvent("toggle.update", scope(definition.key(), null), why,
                        ToggleJson.write(before.definition()), ToggleJson.write(definition)));
            }
            ChangeSignals.raise(c, TOPIC);
            return null;
        }));
        reload();
        return snapshot.toggle(definition.key()).orElseThrow();
    }

    /** Removes a toggle and its settings everywhere; removing an unknown toggle is refused. */
    public void delete(String principal, String key, String reason) {
        String who = Inputs.requirePrincipal(principal);
        ToggleDefinition.requireKey(key);
        String why = Inputs.reason(reason, false);
        store.inTransaction(c -> {
            ToggleState before = lockToggle(c, key).orElseThrow(() -> unknownToggle(key));
            try (PreparedStatement del = c.prepareStatement("DELETE FROM release_line_toggle WHERE toggle_key = ?")) {
                del.setString(1, key);
                del.executeUpdate();
            }
            audit.append(c, who, new AuditEvent("toggle.delete", scope(key, null), why, ToggleJson.write(stateJson(before)), null));
            ChangeSignals.raise(c, TOPIC);
            return null;
        });
        reload();
    }

    // ---- settings

    /** Replaces a toggle's whole setting in one environment. */
    public EnvironmentSetting configure(String principal, String key, String environment, EnvironmentSetting setting, String reason) {
        Objects.requireNonNull(setting, "setting");
        return change(principal, key, environment, reason, "toggle.configure", (toggle, before) -> setting);
    }

    /**
     * Changes the parts of one environment's setting that {@code input} names (see {@link SettingInput}), inside the
     * transaction, so that what it leaves out is taken from the stored setting at that moment.
     */
    public EnvironmentSetting configure(String principal, String key, String environment, Map<String, ?> input, String reason) {
        Objects.requireNonNull(input, "input");
        return change(principal, key, environment, reason, "toggle.configure", (toggle, before) -> SettingInput.parse(input, before));
    }

    /**
     * What a pipeline or the page does: turn a toggle on or off and (for a boolean toggle, or a toggle that has a
     * rollout) set the percentage of targeting keys that get it. {@code null} leaves that part as it is.
     */
    public EnvironmentSetting set(String principal, String key, String environment, Boolean enabled, Integer percentage, String reason) {
        if (percentage != null && (percentage < 0 || percentage > 100)) {
            throw new IllegalArgumentException("percentage: " + percentage + " is outside 0..100");
        }
        String action = percentage != null ? "toggle.rollout" : Boolean.FALSE.equals(enabled) ? "toggle.disable" : "toggle.enable";
        return change(principal, key, environment, reason, action, (toggle, before) -> {
            EnvironmentSetting next = enabled == null ? before : before.withEnabled(enabled);
            if (percentage == null) {
                return next;
            }
            if (toggle.type() == ToggleType.BOOLEAN) {
                Rollout rollout = percentage == 100 ? null : Rollout.of(percentage, ToggleDefinition.ON);
                String defaultVariant = percentage == 100 ? ToggleDefinition.ON : ToggleDefinition.OFF;
                return new EnvironmentSetting(next.enabled(), next.killed(), defaultVariant, next.rules(), rollout);
            }
            Rollout current = next.rollout();
            if (current == null) {
                throw new IllegalArgumentException("percentage: toggle '" + key + "' has no rollout split in '" + environment
                        + "'; configure one (variants and weights) before setting its percentage");
            }
            return new EnvironmentSetting(next.enabled(), next.killed(), next.defaultVariant(), next.rules(),
                    new Rollout(percentage, current.split()));
        });
    }

    /** The kill switch: off in this environment at once, with the reason on record. */
    public EnvironmentSetting kill(String principal, String key, String environment, String reason) {
        Inputs.reason(reason, true);
        return change(principal, key, environment, reason, "toggle.kill", (toggle, before) -> before.killedNow());
    }

    @FunctionalInterface
    private interface SettingChange {
        EnvironmentSetting apply(ToggleDefinition toggle, EnvironmentSetting before);
    }

    private EnvironmentSetting change(String principal, String key, String environment, String reason, String action, SettingChange change) {
        String who = Inputs.requirePrincipal(principal);
        ToggleDefinition.requireKey(key);
        Inputs.requireName("environment", environment, 100);
        String why = Inputs.reason(reason, false);
        EnvironmentSetting result = store.inTransaction(c -> {
            List<String> envs = existingEnvironments(c);
            if (!envs.contains(environment)) {
                throw new IllegalArgumentException("environment: '" + environment + "' is not defined; the environments are " + envs);
            }
            ToggleState state = lockToggle(c, key).orElseThrow(() -> unknownToggle(key));
            EnvironmentSetting before = state.setting(environment);
            EnvironmentSetting after = change.apply(state.definition(), before);
            after.requireVariantsOf(state.definition());
            if (after.equals(before)) {
                return after;
            }
            Instant now = clock.instant();
            boolean stored;
            try (PreparedStatement up = c.prepareStatement("UPDATE release_line_toggle_setting SET enabled = ?, setting_json = ?, "
                    + "changed_at_micros = ? WHERE toggle_key = ? AND environment = ?")) {
                up.setBoolean(1, after.enabled());
                up.setString(2, ToggleJson.write(after));
                up.setLong(3, micros(now));
                up.setString(4, key);
                up.setString(5, environment);
                stored = up.executeUpdate() == 1;
            }
            if (!stored) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_toggle_setting "
                        + "(toggle_key, environment, enabled, setting_json, changed_at_micros) VALUES (?, ?, ?, ?, ?)")) {
                    ins.setString(1, key);
                    ins.setString(2, environment);
                    ins.setBoolean(3, after.enabled());
                    ins.setString(4, ToggleJson.write(after));
                    ins.setLong(5, micros(now));
                    ins.executeUpdate();
                }
            }
            try (PreparedStatement up = c.prepareStatement("UPDATE release_line_toggle SET changed_at_micros = ? WHERE toggle_key = ?")) {
                up.setLong(1, micros(now));
                up.setString(2, key);
                up.executeUpdate();
            }
            audit.append(c, who, new AuditEvent(action, scope(key, environment), why, ToggleJson.write(before), ToggleJson.write(after)));
            ChangeSignals.raise(c, TOPIC);
            return after;
        });
        reload();
        return result;
    }

    // ---- reading

    public Optional<ToggleState> toggle(String key) {
        return snapshot.toggle(key);
    }

    public List<ToggleState> toggles() {
        return snapshot.toggles();
    }

    /** A toggle's audit records (definition and every environment), newest first. */
    public List<AuditRecord> history(String key, int limit) {
        ToggleDefinition.requireKey(key);
        return audit.recent(scope(key, null), true, limit);
    }

    /**
     * Toggles that have served one answer in every environment (on at 100%, or off) and not changed for at least
     * {@code minimumAge}, counted from their last change by this engine's clock.
     */
    public List<StaleToggle> stale(Duration minimumAge) {
        if (minimumAge == null || minimumAge.isNegative()) {
            throw new IllegalArgumentException("minimumAge: must be zero or more days");
        }
        Instant now = clock.instant();
        List<StaleToggle> out = new ArrayList<>();
        ToggleSnapshot s = snapshot;
        if (s.environments().isEmpty()) {
            return out;
        }
        for (ToggleState t : s.toggles()) {
            String state = uniformState(t, s.environments());
            Duration age = Duration.between(t.changedAt(), now);
            if (state != null && age.compareTo(minimumAge) >= 0) {
                out.add(new StaleToggle(t.key(), t.definition().owner(), t.definition().description(), state, t.changedAt(), age));
            }
        }
        return out;
    }

    /** The one answer a toggle gives in every environment, in words; null when environments differ or it still targets. */
    static String uniformState(ToggleState t, List<String> environments) {
        String answer = null;
        for (String env : environments) {
            EnvironmentSetting s = t.setting(env);
            if (!s.settled()) {
                return null;
            }
            String here = !s.enabled() ? "off" : s.defaultVariant();
            if (t.definition().type() == ToggleType.BOOLEAN && here.equals(ToggleDefinition.OFF)) {
                here = "off";
            }
            if (answer != null && !answer.equals(here)) {
                return null;
            }
            answer = here;
        }
        if ("off".equals(answer)) {
            return "off everywhere";
        }
        if (t.definition().type() == ToggleType.BOOLEAN) {
            return "on at 100% everywhere";
        }
        return "serves '" + answer + "' everywhere";
    }

    // ---- storage

    /**
     * Two controllers starting with the same configuration create the same environment or toggle at once: the
     * loser's insert hits the primary key. Running its transaction again then finds the row and does what is
     * left to do (usually nothing), instead of failing.
     */
    private static <T> T retryIfCreatedConcurrently(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (io.jenkins.plugins.releaseline.engine.store.StoreException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    return work.get();
                }
            }
            throw e;
        }
    }

    private ToggleSnapshot load() {
        return store.read(c -> {
            List<String> envs = existingEnvironments(c);
            Map<String, ToggleState> toggles = new LinkedHashMap<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT toggle_key, definition_json, changed_at_micros FROM release_line_toggle ORDER BY toggle_key");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ToggleDefinition d = ToggleJson.read(rs.getString(2), ToggleDefinition.class);
                    toggles.put(rs.getString(1), new ToggleState(d, new LinkedHashMap<>(), fromMicros(rs.getLong(3))));
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT toggle_key, environment, setting_json FROM release_line_toggle_setting");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ToggleState t = toggles.get(rs.getString(1));
                    if (t != null) {
                        t.settings().put(rs.getString(2), ToggleJson.read(rs.getString(3), EnvironmentSetting.class));
                    }
                }
            }
            List<ToggleState> complete = new ArrayList<>();
            for (ToggleState t : toggles.values()) {
                complete.add(withEveryEnvironment(t, envs));
            }
            return new ToggleSnapshot(envs, complete);
        });
    }

    private static ToggleState withEveryEnvironment(ToggleState t, List<String> envs) {
        Map<String, EnvironmentSetting> settings = new LinkedHashMap<>();
        for (String env : envs) {
            EnvironmentSetting s = t.settings().get(env);
            settings.put(env, s != null ? s : EnvironmentSetting.initial(t.definition()));
        }
        return new ToggleState(t.definition(), java.util.Collections.unmodifiableMap(settings), t.changedAt());
    }

    private static List<String> existingEnvironments(Connection c) throws SQLException {
        List<String> envs = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT name FROM release_line_toggle_environment ORDER BY sort_order, name");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                envs.add(rs.getString(1));
            }
        }
        return envs;
    }

    /** Reads one toggle with its row locked until the transaction ends, so that concurrent changes queue. */
    private static Optional<ToggleState> lockToggle(Connection c, String key) throws SQLException {
        ToggleDefinition d;
        Instant changed;
        try (PreparedStatement q = c.prepareStatement(
                "SELECT definition_json, changed_at_micros FROM release_line_toggle WHERE toggle_key = ? FOR UPDATE")) {
            q.setString(1, key);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                d = ToggleJson.read(rs.getString(1), ToggleDefinition.class);
                changed = fromMicros(rs.getLong(2));
            }
        }
        Map<String, EnvironmentSetting> settings = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT environment, setting_json FROM release_line_toggle_setting WHERE toggle_key = ?")) {
            q.setString(1, key);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    settings.put(rs.getString(1), ToggleJson.read(rs.getString(2), EnvironmentSetting.class));
                }
            }
        }
        return Optional.of(withEveryEnvironment(new ToggleState(d, settings, changed), existingEnvironments(c)));
    }

    private static Map<String, Object> stateJson(ToggleState t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("definition", t.definition());
        m.put("settings", t.settings());
        return m;
    }

    private static AuditScope scope(String key, String environment) {
        return AuditScope.of(AuditScope.Kind.TOGGLE, environment == null ? key : key + "/" + environment);
    }

    private static IllegalArgumentException unknownToggle(String key) {
        return new IllegalArgumentException("key: toggle '" + key + "' is not defined; define it first");
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
