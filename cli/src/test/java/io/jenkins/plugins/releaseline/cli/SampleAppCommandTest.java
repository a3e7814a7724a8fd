package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code release-line sample-app}: deployed to by files, as the hpi:run sample job does, and answering on loopback. */
class SampleAppCommandTest {

    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SampleAppRun app;
    private String url;

    @BeforeEach
    void start() throws Exception {
        app = SampleAppRun.start(dir.resolve("slots"));
        assertThat(app.exit()).isNotDone();
        url = app.url;
        assertThat(url).startsWith("http://127.0.0.1:");
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void slotsAnswerAsTheReleaseDeployedToThemAndTheFrontDoorFollowsTheWeight() throws Exception {
        assertThat(get("/canary/").statusCode()).isEqualTo(503);
        assertThat(get("/canary/").body()).contains("nothing is deployed to the canary slot");

        app.write("stable", "version=1.0\n");
        app.write("canary", "# a bad build\nversion=2.0\nerrors=30%\n");
        app.awaitOut("canary slot now runs sample-app 2.0 (answers 30% of requests with 500)");
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = get("/canary/");
            if (r.statusCode() == 500) {
                failed++;
                assertThat(r.body()).isEqualTo("sample-app 2.0 failed\n");
            } else {
                assertThat(r.body()).isEqualTo("sample-app 2.0\n");
            }
        }
        assertThat(failed).as("30% of 100 requests, spread evenly").isEqualTo(30);
        assertThat(get("/stable/").body()).isEqualTo("sample-app 1.0\n");

        // weight 0 (no file yet): the front door sends everything to stable
        for (int i = 0; i < 20; i++) {
            assertThat(get("/").body()).isEqualTo("sample-app 1.0\n");
        }
        app.write("canary", "version=3.0\n");
        app.write("canary-weight", "25");
        app.awaitOut("canary weight 25%");
        app.awaitOut("canary slot now runs sample-app 3.0");
        int toCanary = 0;
        for (int i = 0; i < 100; i++) {
            if (get("/").body().equals("sample-app 3.0\n")) {
                toCanary++;
            }
        }
        assertThat(toCanary).isEqualTo(25);
        assertThat(get("/status").body()).contains("\"canaryWeight\":25").contains("\"stable\":{\"version\":\"1.0\"")
                .contains("\"canary\":{\"version\":\"3.0\"");
    }

    @Test
    void aBadFileIsReportedWithTheFixAndChangesNothing() throws Exception {
        app.write("canary", "version=2.0\n");
        app.awaitOut("canary slot now runs sample-app 2.0");
        app.write("canary", "version=2.1\neror=30%\n");
        app.awaitErr("canary: line 2: unknown key 'eror'; use version= and errors=");
        assertThat(app.err()).contains("(the canary slot keeps sample-app 2.0)");
        app.write("canary-weight", "150");
        app.awaitErr("canary-weight: '150' is not a weight from 0 to 100 (it stays 0)");
        app.write("stable", "errors=10%\n");
        app.awaitErr("stable: no version= line; write version=2.0");
        assertThat(get("/canary/").body()).isEqualTo("sample-app 2.0\n");
        assertThat(get("/").statusCode()).as("still nothing in stable").isEqualTo(503);
        assertThat(app.exit()).isNotDone();
    }

    @Test
    void theStopFileEndsItWithExitZeroAndTakesTheUrlAway() throws Exception {
        app.write("stop", "");
        assertThat(app.exit().get(10, TimeUnit.SECONDS)).isZero();
        assertThat(dir.resolve("slots/url")).doesNotExist();
        assertThat(app.out()).contains("stop file found; stopping");
    }

    @Test
    void aBadOptionIsRefusedBeforeAnythingStarts() {
        CliRun run = CliRun.of("sample-app", "--dir", dir.resolve("other").toString(), "--port", "70000");
        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).contains("--port: 70000 is outside 0..65535");
        assertThat(dir.resolve("other")).doesNotExist();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
