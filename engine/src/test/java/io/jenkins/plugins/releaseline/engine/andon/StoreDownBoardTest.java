package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeWatcher;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreAvailability;
import io.jenkins.plugins.releaseline.engine.store.StoreUnavailableException;
import io.jenkins.plugins.releaseline.engine.testing.PostgresServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A board on a PostgreSQL server of its own that is stopped and started again: while it is down the board
 * answers from its last snapshot without waiting, says since when it is stale, and tries the store again only
 * under the breaker's backoff; a change made after the server is back reaches the board within 2 s.
 */
class StoreDownBoardTest {

    static final WorkScope PROD = WorkScope.deployment("team-a/payments/main", "prod", "team-a/payments/main#7");
    static final AndonPermissions ANYONE = AndonPermissions.overrideOnlyBy(Set.of());

    @Test
    void aStoppedServerNeverStallsTheBoardAndItCatchesUpWhenTheServerIsBack() throws Exception {
        PostgresServer server = PostgresServer.startPrivate();
        try {
            String url = server.createDatabase("release_line");
            Clock clock = Clock.systemUTC();
            try (Store store = Store.open(server.settings(url, "controller-a"));
                 ChangeWatcher watcher = new ChangeWatcher(store, Duration.ofMillis(250));
                 FreezeBoard board = new FreezeBoard(store, new AuditTrail(store, clock), clock, ANYONE).watch(watcher)) {
                Freeze freeze = board.pull("alice", PullRequest.of(FreezeScope.environment("prod"), "payments incident"));
                assertThat(board.check(PROD, WorkKind.DEPLOYMENT).blocked()).isTrue();
                assertThat(board.isStale()).isFalse();
                Instant readBefore = board.asOf().orElseThrow();

                server.pause();
                waitUntil(board::isStale, Duration.ofSeconds(10), "the board noticed the store is down");
                StoreAvailability availability = store.availability();
                assertThat(availability.isAvailable()).isFalse();
                assertThat(board.staleSince()).isEqualTo(availability.unavailableSince());
                assertThat(board.asOf()).as("freezes shown as of the last read").contains(readBefore);
                assertThat(board.staleReason()).isPresent();

                // answers from the snapshot, never from the database: each call well under a millisecond
                long[] nanos = new long[1_000];
                for (int i = 0; i < nanos.length; i++) {
                    long start = System.nanoTime();
                    Decision d = board.check(PROD, WorkKind.DEPLOYMENT);
                    nanos[i] = System.nanoTime() - start;
                    assertThat(d.blocked()).isTrue();
                }
                Arrays.sort(nanos);
                assertThat(nanos[nanos.length / 2]).as("median ns of check() while the store is down").isLessThan(1_000_000L);
                assertThat(nanos[nanos.length - 1]).as("slowest check() while the store is down, ns").isLessThan(500_000_000L);
                assertThat(board.isLineStopped()).isTrue();
                assertThat(board.activeBlockers()).extracting(Blocker::freezeId).containsExactly(freeze.id());

                // tried again under the backoff only: the watcher polls every 250 ms and the board retries too
                long retries = availability.retries();
                Thread.sleep(3_000);
                long tried = availability.retries() - retries;
                assertThat(tried).as("attempts to reach the store in 3 s").isBetween(1L, 8L);

                // a change refuses at once, saying since when
                long start = System.nanoTime();
                assertThatThrownBy(() -> board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "more")))
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessageStartingWith("Release Line store unavailable since " + availability.unavailableSince().orElseThrow());
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

                server.resume();
                // another controller releases the freeze once the server is back
                try (Store other = Store.open(server.settings(url, "controller-b"));
                     FreezeBoard otherBoard = new FreezeBoard(other, new AuditTrail(other, clock), clock, ANYONE)) {
                    otherBoard.release("bob", freeze.id(), "fixed");
                    long caughtUp = waitUntil(() -> board.check(PROD, WorkKind.DEPLOYMENT).allowed() && !board.isStale(),
                            Duration.ofSeconds(2), "the release on controller B reached the board");
                    System.out.println("andon board with PostgreSQL stopped: check() median " + nanos[nanos.length / 2]
                            + " ns (slowest " + nanos[nanos.length - 1] / 1_000 + " us), " + tried
                            + " attempts to reach the store in 3 s; a release after the restart reached the board in "
                            + caughtUp + " ms");
                }
                assertThat(board.staleSince()).isEmpty();
                assertThat(availability.isAvailable()).isTrue();
            }
        } finally {
            server.close();
        }
    }

    private static long waitUntil(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + limit).isLessThan(deadline);
            Thread.sleep(5);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
