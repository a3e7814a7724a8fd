package io.jenkins.plugins.releaseline.engine.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.store.StoreException;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's own rules: store errors are retried for a while, then rethrown. (The promotion contract covers the rest.) */
class DriveLoopTest {

    /** A driver whose store fails {@code failures} times, then is done. */
    static final class Flaky implements Driver {
        int failures;
        int advances;

        Flaky(int failures) {
            this.failures = failures;
        }

        @Override
        public String id() {
            return "flaky";
        }

        @Override
        public Next advance(Instant now) {
            advances++;
            if (failures-- > 0) {
                throw new StoreException("Store read failed: connection refused");
            }
            return new Next.Done(null, "done");
        }

        @Override
        public void bodyFinished(String bodyId, boolean succeeded, String detail) {}

        @Override
        public void requestStop(String reason) {}
    }

    @Test
    void aStoreOutageShorterThanTheLimitIsWaitedOut() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
        List<Duration> sleeps = new ArrayList<>();
        Flaky driver = new Flaky(3);
        Next end = DriveLoop.untilDone(driver, clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        }, DriveLoop.NO_BODY, n -> {}, Duration.ofMinutes(1));
        assertThat(end).isEqualTo(new Next.Done(null, "done"));
        assertThat(sleeps).containsExactly(DriveLoop.STORE_RETRY, DriveLoop.STORE_RETRY, DriveLoop.STORE_RETRY);
    }

    @Test
    void aLongerOutageIsRethrown() {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
        Flaky driver = new Flaky(100);
        assertThatThrownBy(() -> DriveLoop.untilDone(driver, clock, clock::advance, DriveLoop.NO_BODY, n -> {}, Duration.ofSeconds(12)))
                .isInstanceOf(StoreException.class);
        assertThat(driver.advances).isEqualTo(4);
    }
}
