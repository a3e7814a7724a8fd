package io.jenkins.plugins.releaseline.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.Ports;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's circuit breaker, by itself and in front of a real H2 server that is stopped and started. */
class StoreAvailabilityTest {

    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path folder;

    @Test
    void whileDownCallersAreRefusedAtOnceAndOneRetriesPerStepOfADoublingBackoff() {
        TestClock clock = new TestClock(T0);
        StoreAvailability breaker = new StoreAvailability(clock);
        List<String> heard = new ArrayList<>();
        breaker.addListener(new StoreAvailability.Listener() {
            @Override
            public void unavailable(Instant since, String error) {
                heard.add("down " + since + " " + error);
            }

            @Override
            public void available() {
                heard.add("up");
            }
        });
        breaker.admit();
        breaker.failed(new StoreException("Store read failed", new SQLTransientConnectionException("Connection refused", "08001")));

        assertThat(breaker.isAvailable()).isFalse();
        assertThat(breaker.unavailableSince()).contains(T0);
        assertThat(heard).containsExactly("down " + T0 + " Connection refused");
        assertThatThrownBy(breaker::admit).isInstanceOf(StoreUnavailableException.class)
                .hasMessage("Release Line store unavailable since 2026-03-02T10:00:00Z: Connection refused");

        // 250 ms, 500, 1000, then the cap of 1 s
        long[] waits = {250, 500, 1000, 1000, 1000};
        for (long wait : waits) {
            clock.advance(Duration.ofMillis(wait - 1));
            assertThatThrownBy(breaker::admit).as("refused before %d ms", wait).isInstanceOf(StoreUnavailableException.class);
            clock.advance(Duration.ofMillis(1));
            long before = breaker.retries();
            breaker.admit();
            assertThat(breaker.retries()).isEqualTo(before + 1);
            // a second caller while the first one tries is refused
            assertThatThrownBy(breaker::admit).isInstanceOf(StoreUnavailableException.class);
            // failures of callers that were already waiting do not lengthen the wait
            breaker.failed(new SQLTransientConnectionException("still refused", "08001"));
            breaker.failed(new SQLTransientConnectionException("still refused", "08001"));
        }
        assertThat(breaker.retries()).isEqualTo(waits.length);
        assertThat(breaker.unavailableSince()).as("since the first failure").contains(T0);
        assertThat(breaker.lastError()).contains("still refused");

        clock.advance(Duration.ofSeconds(1));
        breaker.admit();
        breaker.succeeded();
        assertThat(breaker.isAvailable()).isTrue();
        assertThat(breaker.unavailableSince()).isEmpty();
        assertThat(heard).containsExactly("down " + T0 + " Connection refused", "up");

        // down again: the wait starts over at 250 ms
        breaker.failed(new SQLTransientConnectionException("refused again", "08001"));
        assertThat(breaker.untilNextAttempt()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void anErrorOfTheCallersMakingIsPassedOnAndLeavesTheBreakerClosed() {
        StoreAvailability breaker = new StoreAvailability(new TestClock(T0));
        assertThatThrownBy(() -> breaker.attempt(() -> {
            throw new StoreException("Store transaction failed: duplicate key", new java.sql.SQLException("duplicate key", "23505"));
        })).isInstanceOf(StoreException.class).isNotInstanceOf(StoreUnavailableException.class);
        assertThat(breaker.isAvailable()).isTrue();
    }

    @Test
    void aStoppedH2ServerIsReportedAtOnceAndTheStoreComesBackWithIt() throws Exception {
        int port = Ports.free();
        Server server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", folder.toString(), "-ifNotExists").start();
        try {
            StoreSettings settings = StoreSettings.of("jdbc:h2:tcp://127.0.0.1:" + port + "/store", "sa", "", "controller-a");
            try (Store store = Store.open(settings)) {
                StoreAvailability availability = store.availability();
                store.inTransaction(c -> ChangeSignals.raise(c, "topic"));

                server.stop();
                assertThatThrownBy(() -> store.read(ChangeSignals::read)).isInstanceOf(StoreUnavailableException.class)
                        .hasMessageStartingWith("Release Line store unavailable since ");
                assertThat(availability.isAvailable()).isFalse();
                Instant since = availability.unavailableSince().orElseThrow();

                // refused by the breaker without going to the database: the retry count does not move
                long retries = availability.retries();
                for (int i = 0; i < 100; i++) {
                    assertThatThrownBy(() -> store.read(ChangeSignals::read)).isInstanceOf(StoreUnavailableException.class)
                            .hasMessageContaining("since " + since);
                }
                assertThat(availability.retries()).isEqualTo(retries);

                server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", folder.toString(), "-ifNotExists").start();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                Long signal = null;
                while (signal == null) {
                    assertThat(System.nanoTime()).as("the store answers again within 10 s").isLessThan(deadline);
                    try {
                        signal = store.read(ChangeSignals::read).get("topic");
                    } catch (StoreUnavailableException e) {
                        Thread.sleep(50);
                    }
                }
                assertThat(signal).isEqualTo(1L);
                assertThat(availability.isAvailable()).isTrue();
                assertThat(availability.retries()).isGreaterThan(retries);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void openingAgainstAClosedPortFailsWithinSecondsSayingWhyAndIsNotRetriedAtOnce() {
        String url = "jdbc:postgresql://127.0.0.1:" + Ports.free() + "/release_line";
        StoreAvailability availability = new StoreAvailability(Clock.systemUTC());
        long start = System.nanoTime();
        assertThatThrownBy(() -> Store.open(StoreSettings.of(url, "postgres", "", "controller-a"), availability))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("Release Line store unavailable since ")
                .hasMessageContaining("refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(availability.isAvailable()).isFalse();

        long retries = availability.retries();
        assertThatThrownBy(() -> Store.open(StoreSettings.of(url, "postgres", "", "controller-a"), availability))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(availability.retries()).as("refused by the breaker, no new attempt").isEqualTo(retries);
    }

    @Test
    void postgresUrlsGetConnectLoginAndReadTimeoutsUnlessTheySetTheirOwn() {
        assertThat(Store.jdbcUrlWithDefaults(StoreSettings.of("jdbc:postgresql://db:5432/rl", "u", "p", "c")))
                .isEqualTo("jdbc:postgresql://db:5432/rl?connectTimeout=2&loginTimeout=3&socketTimeout=10");
        assertThat(Store.jdbcUrlWithDefaults(StoreSettings.of("jdbc:postgresql://db:5432/rl?ssl=true&socketTimeout=60", "u", "p", "c")))
                .isEqualTo("jdbc:postgresql://db:5432/rl?ssl=true&socketTimeout=60&connectTimeout=2&loginTimeout=3");
        assertThat(Store.jdbcUrlWithDefaults(StoreSettings.of("jdbc:h2:tcp://db/rl", "u", "p", "c")))
                .contains(";NETWORK_TIMEOUT=10000");
    }
}
