package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code canary} when its router does not answer: before anything moved, and in the middle of the rollout. */
class CanaryRouterFailureTest {

    @TempDir
    Path folder;

    TestApp stable;
    TestApp canary;
    HaproxyServer haproxy;

    @AfterEach
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (stable != null) {
            stable.close();
        }
        if (canary != null) {
            canary.close();
        }
    }

    private String store() {
        return folder.resolve("store").toString();
    }

    private void init() {
        CliRun init = CliRun.of("store", "init", "--store", store());
        assertThat(init.exitCode()).as(init.err()).isZero();
        // the test acts as erin: whoever runs it (the store file's owner) may, with the grant
        CliRun grant = CliRun.of("store", "grant-impersonation", System.getProperty("user.name"), "--store", store());
        assertThat(grant.exitCode()).as(grant.err()).isZero();
    }

    @Test
    void aRouterUnreachableBeforeAnythingMovedEndsAtOnceWithExitOneAndNoCanary() {
        init();
        CliRun run = CliRun.of("canary", "--store", store(), "--as", "erin", "--id", "app#1", "--plan", "10%/5s, 100%",
                "--haproxy", "unix:/nonexistent.sock", "--probe-stable", "http://127.0.0.1:9/", "--probe-canary", "http://127.0.0.1:9/");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).contains("router app does not answer", "/nonexistent.sock", "nothing was changed and no canary was recorded");
        assertThat(run.out()).doesNotContain("router failed", "analysis in");
        CliRun audit = CliRun.of("audit", "list", "--store", store(), "--scope", "rollout:canary/app#1");
        assertThat(audit.out()).doesNotContain("canary.start");
    }

    @Test
    void aRouterLostMidwayEndsWithExitOneAfterBoundedAttemptsSayingHowToFinishTheRollback() throws Exception {
        init();
        stable = TestApp.start("stable", "1.0");
        canary = TestApp.start("canary", "2.0");
        haproxy = HaproxyServer.builder().server("stable", stable.port(), 100).server("canary", canary.port(), 0).start();
        HaproxyRouter router = new HaproxyRouter("app", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(5)), "app",
                List.of("stable", "canary"), RetryPolicy.NONE);
        List<String> args = new ArrayList<>(List.of("canary", "--store", store(), "--as", "erin", "--id", "app#1",
                "--plan", "10%/3s, 100%", "--haproxy", "unix:" + haproxy.adminSocket(), "--backend", "app",
                "--probe-stable", stable.url(), "--probe-canary", canary.url(), "--probe-count", "20", "--poll", "200ms",
                "--router-attempts", "3"));
        CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(() -> CliRun.of(args.toArray(String[]::new)));
        // the canary takes its first 10%; then the router goes away before the next step
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (router.read().of("canary") != 10) {
            assertThat(System.nanoTime()).as("the canary never reached 10%").isLessThan(until);
            assertThat(running).isNotDone();
            Thread.sleep(50);
        }
        haproxy.kill();

        CliRun run = running.get(3, TimeUnit.MINUTES);
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.ERROR);
        assertThat(run.out()).contains("step 1/2: canary weight 10%", "router failed to set 0% (attempt 3)")
                .doesNotContain("attempt 4", "router failed: router failed")
                .containsPattern("canary weight 10% \\(canary at 10% until \\d\\d:\\d\\d:\\d\\d\\)");
        assertThat(run.out().substring(run.out().indexOf("router failed"))).as("no analysis is due while rolling back")
                .doesNotContain("analysis in");
        assertThat(run.err()).contains("canary app#1 left ROLLING_BACK", "after 3 attempts", "traffic may still reach canary",
                "Once the router answers, finish the rollback with:",
                "release-line canary --store " + store() + " --as erin --id app#1 --plan '10%/3s, 100%' --haproxy unix:"
                        + haproxy.adminSocket() + " --backend app", "--router-attempts 3 --finish-rollback");

        // the router answers again: the printed command finishes the rollback
        haproxy.restart();
        List<String> finish = new ArrayList<>(args);
        finish.add("--finish-rollback");
        CliRun done = CliRun.of(finish.toArray(String[]::new));
        assertThat(done.exitCode()).as(done.out() + done.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(done.out()).startsWith("ROLLED_BACK: ");
        assertThat(router.read().of("canary")).isZero();
    }
}
