package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code canary} and {@code bluegreen} against a real HAProxy on 127.0.0.1, with the built-in probes as analysis. */
class RolloutCommandsTest {

    @TempDir
    Path folder;

    TestApp first;
    TestApp second;
    HaproxyServer haproxy;

    @AfterEach
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    private void start(String a, String b) {
        CliRun init = CliRun.of("store", "init", "--store", folder.resolve("store").toString());
        assertThat(init.exitCode()).as(init.err()).isZero();
        CliRun grant = CliRun.of("store", "grant-impersonation", System.getProperty("user.name"), "--store", folder.resolve("store").toString());
        assertThat(grant.exitCode()).as(grant.err()).isZero(); // the test acts as erin
        first = TestApp.start(a, "1.0");
        second = TestApp.start(b, "2.0");
        haproxy = HaproxyServer.builder().server(a, first.port(), 100).server(b, second.port(), 0).start();
    }

    private HaproxyRouter router(String a, String b) {
        return new HaproxyRouter("app", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(5)), "app", List.of(a, b),
                RetryPolicy.NONE);
    }

    private CliRun canary(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("canary", "--store", folder.resolve("store").toString(), "--as", "erin",
                "--id", "app#1", "--plan", "50%/2s, 100%", "--haproxy", "unix:" + haproxy.adminSocket(), "--backend", "app",
                "--probe-stable", first.url(), "--probe-canary", second.url(), "--probe-count", "40", "--poll", "200ms"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void aGoodCanaryReachesAHundredPercentShowingEachStep() {
        start("stable", "canary");
        CliRun run = canary();
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("step 1/2: canary weight 50%", "analysis: PASS", "succeeded: canary at 100%", "SUCCEEDED");
        assertThat(router("stable", "canary").read().of("canary")).isEqualTo(100);
        CliRun audit = CliRun.of("audit", "list", "--store", folder.resolve("store").toString(), "--scope", "rollout:canary/app#1");
        assertThat(audit.out()).contains("erin", "canary.start");
    }

    @Test
    void aFailingCanaryIsRolledBackWithExitTwoNamingTheMetric() throws Exception {
        start("stable", "canary");
        second.failFraction(0.3);
        CliRun run = canary("-o", "json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err()).contains("refused: canary app#1 rolled back", "error-rate FAIL");
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(doc.get("events").findValuesAsText("kind")).contains("WEIGHT_SET", "ANALYSIS", "ROLLED_BACK");
        assertThat(router("stable", "canary").read().of("canary")).isZero();
    }

    @Test
    void blueGreenSwitchesAfterTheIdleColourIsHealthyAndRollsBack() throws Exception {
        start("blue", "green");
        Path routerFile = folder.resolve("router.properties");
        Files.writeString(routerFile, "type=haproxy\nname=shop\nsocket=unix:" + haproxy.adminSocket() + "\nbackend=app\nservers=blue,green\n");
        String store = folder.resolve("store").toString();
        CliRun run = CliRun.of("bluegreen", "--store", store, "--environment", "prod", "--router-file", routerFile.toString(),
                "--release", "2.0", "--health", "blue=" + first.url() + "/health", "--health", "green=" + second.url() + "/health",
                "--keep-warm", "10m");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("blue is live, switching to green", "IDLE_HEALTHY", "WARM: green serves");
        assertThat(router("blue", "green").read().of("green")).isEqualTo(100);

        CliRun back = CliRun.of("bluegreen", "--store", store, "--environment", "prod", "--router-file", routerFile.toString(),
                "--rollback", "--reason", "checkout errors", "-o", "json");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(new ObjectMapper().readTree(back.out()).get("phase").asText()).isEqualTo("ROLLED_BACK");
        assertThat(router("blue", "green").read().of("blue")).isEqualTo(100);
    }

    @Test
    void anUnhealthyIdleColourIsRefusedWithExitTwo() {
        start("blue", "green");
        second.healthy(false);
        CliRun run = CliRun.of("bluegreen", "--store", folder.resolve("store").toString(), "--environment", "prod",
                "--haproxy", haproxy.adminSocket().toString(), "--servers", "blue,green",
                "--health", "blue=" + first.url() + "/health", "--health", "green=" + second.url() + "/health", "--health-deadline", "3s");
        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err()).contains("ended FAILED", "green is not healthy");
        assertThat(router("blue", "green").read().of("blue")).isEqualTo(100);
    }
}
