package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.Ports;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    TestApp app;

    @BeforeEach
    void start() {
        app = TestApp.start("green", "1.1");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    HealthCheck check(String path) {
        return HealthCheck.of(app.url() + path, 200).withConsecutive(3).withTiming(Duration.ofMillis(10), Duration.ofMillis(300), Duration.ofSeconds(2));
    }

    @Test
    void passesAfterTheConsecutiveSuccessesAsked() {
        HealthCheck.Report r = check("/health").withBody("colour=green").run();
        assertThat(r.passed()).isTrue();
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(r.summary()).contains("answered 200 matching /colour=green/ 3 times in a row");
    }

    @Test
    void aBodyThatDoesNotMatchFailsAndSaysWhatCame() {
        HealthCheck.Report r = check("/health").withBody("version=2\\.0").run();
        assertThat(r.passed()).isFalse();
        assertThat(r.summary()).contains("body does not match /version=2\\.0/: ok colour=green version=1.1");
    }

    @Test
    void aSlowAnswerCountsAsAFailureAndBreaksTheRun() {
        app.delay(Duration.ofMillis(600));
        HealthCheck.Report r = check("/").run();
        assertThat(r.passed()).isFalse();
        assertThat(r.lastOutcomes()).allMatch(o -> o.contains("no answer within 300 ms"));
        assertThat(r.longestRun()).isZero();
    }

    @Test
    void nothingListeningIsReportedAsSuch() {
        HealthCheck.Report r = HealthCheck.of("http://127.0.0.1:" + Ports.free() + "/health", 200)
                .withTiming(Duration.ofMillis(10), Duration.ofMillis(300), Duration.ofMillis(200)).run();
        assertThat(r.passed()).isFalse();
        assertThat(r.summary()).contains("ConnectException");
    }

    @Test
    void badSettingsAreRefusedByField() {
        assertThatThrownBy(() -> HealthCheck.of("ftp://x/", 200)).hasMessageStartingWith("url:");
        assertThatThrownBy(() -> HealthCheck.of("http://x/", 700)).hasMessageStartingWith("expect:");
        assertThatThrownBy(() -> HealthCheck.of("http://x/", 200).withConsecutive(0)).hasMessageStartingWith("consecutive:");
        assertThatThrownBy(() -> HealthCheck.of("http://x/", 200).withBody("(")).hasMessageStartingWith("body:");
        assertThatThrownBy(() -> HealthCheck.of("http://x/", 200).withTiming(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageStartingWith("timeout:");
    }
}
