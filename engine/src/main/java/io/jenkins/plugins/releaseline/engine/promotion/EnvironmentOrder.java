package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The environments in the order an artifact travels through them. Checked when built: every name once, the
 * first promotes from nothing, every other one from the environment listed just before it, so the line has
 * no unknown step, no cycle and no gap.
 */
public final class EnvironmentOrder {

    public static final int MAX_ENVIRONMENTS = 100;

    private final List<Environment> environments;
    private final Map<String, Environment> byName;

    private EnvironmentOrder(List<Environment> environments) {
        this.environments = List.copyOf(environments);
        Map<String, Environment> map = new LinkedHashMap<>();
        environments.forEach(e -> map.put(e.name(), e));
        this.byName = map;
    }

    /**
     * The usual line: {@code integration} (branch {@code integration}), then {@code staging} (branch
     * {@code main}), then {@code prod} (branches {@code release/*}, one approval by someone other than the
     * build's starter, an hour in staging first).
     */
    public static EnvironmentOrder defaults() {
        return of(List.of(
                Environment.first("integration", "integration"),
                Environment.after("integration", "staging", Duration.ZERO, ApprovalRule.NONE, "main"),
                Environment.after("staging", "prod", Duration.ofHours(1),
                        ApprovalRule.of(1, Set.of(), Set.of(), true), "release/*")));
    }

    public static EnvironmentOrder of(List<Environment> environments) {
        if (environments == null || environments.isEmpty()) {
            throw new IllegalArgumentException("environments: the list is empty; define at least one environment");
        }
        if (environments.size() > MAX_ENVIRONMENTS) {
            throw new IllegalArgumentException("environments: " + environments.size() + " environments is over the limit of " + MAX_ENVIRONMENTS);
        }
        Map<String, Environment> byName = new LinkedHashMap<>();
        for (Environment e : environments) {
            if (byName.put(e.name(), e) != null) {
                throw new IllegalArgumentException("environments: '" + e.name() + "' is defined twice; give each environment a unique name");
            }
        }
        for (Environment e : environments) {
            if (e.promotesFrom() != null && !byName.containsKey(e.promotesFrom())) {
                throw new IllegalArgumentException("environments: '" + e.name() + "' promotes from '" + Inputs.printable(e.promotesFrom())
                        + "', which is not defined; defined are " + String.join(", ", byName.keySet()));
            }
        }
        for (Environment e : environments) {
            List<String> path = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Environment at = e; at != null; at = at.promotesFrom() == null ? null : byName.get(at.promotesFrom())) {
                path.add(at.name());
                if (!seen.add(at.name())) {
                    throw new IllegalArgumentException("environments: a cycle: " + String.join(" promotes from ", path)
                            + "; one environment must promote from none and start the line");
                }
            }
        }
        Environment first = environments.get(0);
        if (first.promotesFrom() != null) {
            throw new IllegalArgumentException("environments: the first environment '" + first.name() + "' promotes from '"
                    + first.promotesFrom() + "'; the first in the order must promote from none (list '" + first.promotesFrom() + "' before it)");
        }
        for (int i = 1; i < environments.size(); i++) {
            Environment e = environments.get(i);
            Environment before = environments.get(i - 1);
            if (e.promotesFrom() == null) {
                throw new IllegalArgumentException("environments: a gap: '" + e.name() + "' promotes from no environment but comes after '"
                        + before.name() + "'; only the first environment may start the line (set its promotesFrom to '" + before.name() + "')");
            }
            if (!e.promotesFrom().equals(before.name())) {
                throw new IllegalArgumentException("environments: a gap: '" + e.name() + "' promotes from '" + e.promotesFrom()
                        + "' but comes right after '" + before.name() + "'; every environment promotes from the one listed just before it"
                        + " (set its promotesFrom to '" + before.name() + "', or reorder the list)");
            }
        }
        return new EnvironmentOrder(environments);
    }

    public List<Environment> environments() {
        return environments;
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public Optional<Environment> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The environment, or a refusal that lists the known ones. */
    public Environment require(String name) {
        Environment e = name == null ? null : byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("to: unknown environment '" + (name == null ? "" : Inputs.printable(name))
                    + "'; the line has " + String.join(", ", byName.keySet()));
        }
        return e;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvironmentOrder other && environments.equals(other.environments);
    }

    @Override
    public int hashCode() {
        return environments.hashCode();
    }

    @Override
    public String toString() {
        return String.join(" -> ", byName.keySet());
    }
}
