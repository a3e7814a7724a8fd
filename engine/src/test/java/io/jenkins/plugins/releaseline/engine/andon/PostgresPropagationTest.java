package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeWatcher;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Two controllers on one PostgreSQL database, each with its own board and a change watcher polling every
 * 250 ms: a pull on A must stop work on B within 2 s, and a release on A must let it through again.
 * Prints the measured times (docs/andon.md quotes them).
 */
class PostgresPropagationTest {

    static final Duration POLL = Duration.ofMillis(250);
    static final long LIMIT_NANOS = Duration.ofSeconds(2).toNanos();
    static final WorkScope WORK = WorkScope.deployment("team-a/payments/main", "prod", "team-a/payments/main#1");

    @Test
    void aPullOnOneControllerStopsWorkOnTheOtherWithinTwoSeconds() throws Exception {
        StoreTarget target = StoreTarget.postgres();
        Clock clock = Clock.systemUTC();
        AndonPermissions anyone = AndonPermissions.overrideOnlyBy(Set.of());
        try (Store a = target.open("controller-a");
             Store b = target.open("controller-b");
             ChangeWatcher watcherB = new ChangeWatcher(b, POLL);
             FreezeBoard boardA = new FreezeBoard(a, new AuditTrail(a, clock), clock, anyone);
             FreezeBoard boardB = new FreezeBoard(b, new AuditTrail(b, clock), clock, anyone).watch(watcherB)) {
            List<Long> pullMillis = new ArrayList<>();
            List<Long> releaseMillis = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Freeze f = boardA.pull("alice", PullRequest.of(FreezeScope.environment("prod"), "incident " + i));
                pullMillis.add(waitUntil(() -> boardB.check(WORK, WorkKind.DEPLOYMENT).blocked(), "pull " + i));
                boardA.release("alice", f.id(), null);
                releaseMillis.add(waitUntil(() -> boardB.check(WORK, WorkKind.DEPLOYMENT).allowed(), "release " + i));
            }
            System.out.println("andon propagation A->B over PostgreSQL, poll " + POLL.toMillis() + " ms: pull median "
                    + median(pullMillis) + " ms (max " + Collections.max(pullMillis) + "), release median "
                    + median(releaseMillis) + " ms (max " + Collections.max(releaseMillis) + ")");
        }
    }

    private static long waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - start).as(what + " reached controller B within 2 s").isLessThan(LIMIT_NANOS);
            Thread.sleep(1);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
