package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The indexed decision agrees with the plain reading of every freeze's scope, on random boards. */
class BoardSnapshotTest {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    static final String[] SEGMENTS = {"a", "ab", "team-a", "team-b", "pay", "payments", "main", "x"};
    static final String[] ENVS = {"dev", "staging", "prod", "prod-eu"};

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void indexedDecisionMatchesANaiveScan(long seed) {
        Random r = new Random(seed);
        List<Freeze> freezes = new ArrayList<>();
        Map<Long, Set<String>> overrides = new HashMap<>();
        int n = 1 + r.nextInt(60);
        for (long id = 1; id <= n; id++) {
            FreezeScope scope = switch (r.nextInt(4)) {
                case 0 -> FreezeScope.EVERYTHING;
                case 1 -> FreezeScope.job(path(r));
                case 2 -> FreezeScope.environment(ENVS[r.nextInt(ENVS.length)]);
                default -> new FreezeScope(path(r), ENVS[r.nextInt(ENVS.length)]);
            };
            Instant expires = r.nextInt(5) == 0 ? NOW.minusSeconds(1) : null;
            String line = r.nextInt(6) == 0 ? path(r) : null;
            freezes.add(new Freeze(id, scope, r.nextBoolean() ? Stops.ALL_BUILDS : Stops.DEPLOYMENTS,
                    line == null ? Origin.MANUAL : Origin.LINE, line, null, "p", NOW.minusSeconds(r.nextInt(1000)), "r" + id,
                    null, expires, null, null, null));
            if (r.nextInt(5) == 0) {
                overrides.put(id, new HashSet<>(Set.of("b" + r.nextInt(3))));
            }
        }
        BoardSnapshot s = BoardSnapshot.build(NOW, new BoardSnapshot.BoardState(freezes, overrides, List.of()), AndonConfig.EMPTY);
        for (int i = 0; i < 2_000; i++) {
            String path = r.nextInt(10) == 0 ? null : path(r);
            String env = r.nextInt(3) == 0 ? null : ENVS[r.nextInt(ENVS.length)];
            String build = r.nextBoolean() ? null : "b" + r.nextInt(3);
            WorkScope work = new WorkScope(path, env, build);
            WorkKind kind = WorkKind.values()[r.nextInt(3)];
            Set<Long> expected = new HashSet<>();
            for (Freeze f : freezes) {
                boolean overridden = build != null && overrides.getOrDefault(f.id(), Set.of()).contains(build);
                boolean lineItself = f.lineJob() != null && f.lineJob().equals(path);
                if (f.isActiveAt(NOW) && f.stops().blocks(kind) && f.scope().covers(path, env) && !overridden && !lineItself) {
                    expected.add(f.id());
                }
            }
            Decision d = s.decide(work, kind);
            Set<Long> actual = new HashSet<>();
            d.blockers().forEach(b -> actual.add(b.freezeId()));
            assertThat(actual).as("%s %s", work, kind).isEqualTo(expected);
            if (expected.isEmpty()) {
                assertThat(d).isSameAs(Decision.ALLOWED);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void theSnapshotGoesStaleAtTheFirstExpiry(int extra) {
        List<Freeze> freezes = new ArrayList<>();
        freezes.add(new Freeze(1, FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, Origin.MANUAL, null, null, "p", NOW, "r", null,
                NOW.plus(Duration.ofMinutes(10 + extra)), null, null, null));
        freezes.add(new Freeze(2, FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, Origin.MANUAL, null, null, "p", NOW, "r", null,
                NOW.plus(Duration.ofMinutes(5)), null, null, null));
        BoardSnapshot s = BoardSnapshot.build(NOW, new BoardSnapshot.BoardState(freezes, Map.of(), List.of()), AndonConfig.EMPTY);
        assertThat(s.validUntilMillis).isEqualTo(NOW.plus(Duration.ofMinutes(5)).toEpochMilli());
    }

    private static String path(Random r) {
        int depth = 1 + r.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(SEGMENTS[r.nextInt(SEGMENTS.length)]);
        }
        return sb.toString();
    }
}
