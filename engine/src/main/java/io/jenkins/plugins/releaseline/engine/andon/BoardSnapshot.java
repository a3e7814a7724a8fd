package io.jenkins.plugins.releaseline.engine.andon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the board holds at one moment, indexed for {@link #decide}: freezes over everything in one array,
 * environment-only freezes by environment, and job-path freezes (with or without an environment) by prefix.
 * Immutable; replaced as a whole on every change and when a freeze expires or a window opens or closes.
 */
final class BoardSnapshot {

    private static final ActiveEntry[] NONE = new ActiveEntry[0];

    final Instant builtAt;
    /** When the snapshot goes stale by itself (an expiry, a window opening or closing); millis, MAX if never. */
    final long validUntilMillis;
    final List<Blocker> active;
    /** When the freezes it shows were read from the store; null if never. */
    final Instant readAt;
    /** Since when the store could not be read, so that the freezes shown may be out of date; null if current. */
    final Instant staleSince;
    /** Why the store could not be read; null if current. */
    final String staleBecause;
    private final ActiveEntry[] everything;
    private final Map<String, ActiveEntry[]> byEnvironment;
    private final PrefixIndex byPrefix;

    private BoardSnapshot(Instant builtAt, long validUntilMillis, List<ActiveEntry> entries, BoardState state) {
        this.builtAt = builtAt;
        this.validUntilMillis = validUntilMillis;
        this.readAt = state.readAt();
        this.staleSince = state.staleSince();
        this.staleBecause = state.staleBecause();
        List<Blocker> blockers = new ArrayList<>();
        List<ActiveEntry> all = new ArrayList<>();
        Map<String, List<ActiveEntry>> env = new HashMap<>();
        Map<String, List<ActiveEntry>> prefix = new HashMap<>();
        for (ActiveEntry e : entries) {
            blockers.add(e.blocker);
            FreezeScope s = e.blocker.scope();
            if (s.jobPrefix() != null) {
                prefix.computeIfAbsent(s.jobPrefix(), k -> new ArrayList<>()).add(e);
            } else if (s.environment() != null) {
                env.computeIfAbsent(s.environment(), k -> new ArrayList<>()).add(e);
            } else {
                all.add(e);
            }
        }
        this.active = List.copyOf(blockers);
        this.everything = all.toArray(NONE);
        Map<String, ActiveEntry[]> envArrays = new HashMap<>();
        env.forEach((k, v) -> envArrays.put(k, v.toArray(NONE)));
        this.byEnvironment = envArrays;
        Map<String, ActiveEntry[]> prefixArrays = new HashMap<>();
        prefix.forEach((k, v) -> prefixArrays.put(k, v.toArray(NONE)));
        this.byPrefix = prefixArrays.isEmpty() ? PrefixIndex.EMPTY : new PrefixIndex(prefixArrays);
    }

    static BoardSnapshot build(Instant now, BoardState state, AndonConfig config) {
        List<ActiveEntry> entries = new ArrayList<>();
        long validUntil = Long.MAX_VALUE;
        for (Freeze f : state.open()) {
            if (!f.isActiveAt(now)) {
                continue;
            }
            if (f.expiresAt() != null) {
                validUntil = Math.min(validUntil, f.expiresAt().toEpochMilli());
            }
            Blocker b = new Blocker("freeze-" + f.id(), f.id(), null, f.scope(), f.stops(), f.origin(), f.pulledBy(),
                    f.pulledAt(), f.expiresAt(), f.reason(), f.link());
            entries.add(new ActiveEntry(b, f.lineJob(), state.overridesOf(f.id())));
        }
        for (FreezeWindow w : config.windows()) {
            Instant next = w.nextChangeAfter(now);
            if (next != null) {
                validUntil = Math.min(validUntil, next.toEpochMilli());
            }
            Instant opened = w.openedAt(now).orElse(null);
            if (opened == null) {
                continue;
            }
            Blocker b = new Blocker("window:" + w.name(), 0, w.name(), w.scope(), w.stops(), Origin.WINDOW, "schedule",
                    opened, next, w.reason(), null);
            entries.add(new ActiveEntry(b, null, state.windowOverridesSince(w.name(), opened)));
        }
        entries.sort(Comparator.comparing((ActiveEntry e) -> e.blocker.since()).thenComparing(e -> e.blocker.key()));
        return new BoardSnapshot(now, validUntil, entries, state);
    }

    boolean isStale() {
        return staleSince != null;
    }

    boolean isEmpty() {
        return active.isEmpty();
    }

    /** Allocation-free unless two or more freezes block the same work. */
    Decision decide(WorkScope work, WorkKind kind) {
        if (active.isEmpty()) {
            return Decision.ALLOWED;
        }
        ActiveEntry first = null;
        List<Blocker> more = null;
        for (ActiveEntry e : everything) {
            if (e.holds(work, kind)) {
                if (first == null) {
                    first = e;
                } else {
                    more = add(more, first, e);
                }
            }
        }
        String env = work.environment();
        if (env != null && !byEnvironment.isEmpty()) {
            ActiveEntry[] group = byEnvironment.get(env);
            if (group != null) {
                for (ActiveEntry e : group) {
                    if (e.holds(work, kind)) {
                        if (first == null) {
                            first = e;
                        } else {
                            more = add(more, first, e);
                        }
                    }
                }
            }
        }
        String path = work.jobPath();
        if (path != null && !byPrefix.isEmpty()) {
            int h = 0;
            int n = path.length();
            for (int i = 0; i <= n; i++) {
                if (i == n || path.charAt(i) == '/') {
                    ActiveEntry[] group = i == 0 ? null : byPrefix.get(path, i, h);
                    if (group != null) {
                        for (ActiveEntry e : group) {
                            if (e.holds(work, kind)) {
                                if (first == null) {
                                    first = e;
                                } else {
                                    more = add(more, first, e);
                                }
                            }
                        }
                    }
                }
                if (i < n) {
                    h = 31 * h + path.charAt(i);
                }
            }
        }
        if (first == null) {
            return Decision.ALLOWED;
        }
        if (more == null) {
            return first.alone;
        }
        more.sort(Comparator.comparing(Blocker::since).thenComparing(Blocker::key));
        return new Decision(more);
    }

    private static List<Blocker> add(List<Blocker> more, ActiveEntry first, ActiveEntry e) {
        if (more == null) {
            more = new ArrayList<>(4);
            more.add(first.blocker);
        }
        more.add(e.blocker);
        return more;
    }

    /**
     * What the store holds about the open freezes: the rows and the builds overrides let through, as read at
     * {@code readAt}; {@code staleSince} is set while the store cannot be read again (the rows are kept).
     */
    record BoardState(List<Freeze> open, Map<Long, Set<String>> overrides, List<WindowOverride> windowOverrides,
            Instant readAt, Instant staleSince, String staleBecause) {

        static final BoardState EMPTY = new BoardState(List.of(), Map.of(), List.of());

        BoardState(List<Freeze> open, Map<Long, Set<String>> overrides, List<WindowOverride> windowOverrides) {
            this(open, overrides, windowOverrides, null, null, null);
        }

        /** The same rows, read at {@code at}. */
        BoardState readAt(Instant at) {
            return new BoardState(open, overrides, windowOverrides, at, null, null);
        }

        /** The same rows, no longer known to match the store since {@code since} (kept if already stale). */
        BoardState stale(Instant since, String because) {
            return new BoardState(open, overrides, windowOverrides, readAt, staleSince == null ? since : staleSince, because);
        }

        Set<String> overridesOf(long freezeId) {
            return overrides.getOrDefault(freezeId, Set.of());
        }

        Set<String> windowOverridesSince(String window, Instant opened) {
            Set<String> builds = new java.util.HashSet<>();
            for (WindowOverride o : windowOverrides) {
                if (o.window().equals(window) && !o.at().isBefore(opened)) {
                    builds.add(o.build());
                }
            }
            return builds;
        }
    }

    record WindowOverride(String window, String build, Instant at) {}
}
