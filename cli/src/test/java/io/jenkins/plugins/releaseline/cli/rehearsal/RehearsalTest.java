package io.jenkins.plugins.releaseline.cli.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The whole rehearsal, as {@code release-line rehearsal} runs it, with the real HAProxy (and Prometheus when
 * installed) on 127.0.0.1; then its HTML report opened in headless Chromium, checked, and photographed for the docs.
 */
class RehearsalTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    Path folder;

    @Test
    void walksTheWholeReleaseAndEndsAsPlanned() throws Exception {
        assertThat(Rehearsal.missingPackagesMessage(Haproxy.BINARY))
                .as("HAProxy is needed: apt-get install -y haproxy").isNull();
        StringWriter printed = new StringWriter();
        Rehearsal.Result r = new Rehearsal(Rehearsal.Settings.defaults(folder.resolve("run"), "ci-bot"),
                new PrintWriter(printed, true)).run();
        String out = printed.toString();
        Files.writeString(Path.of("target", "rehearsal-output.txt"), out);

        assertThat(r.ok()).as(out).isTrue();
        assertThat(r.stableVersion()).isEqualTo("3.0");
        assertThat(r.stableWeight()).isEqualTo(100);
        assertThat(r.prodVersion()).isEqualTo("3.0");
        assertThat(r.v2CanaryState()).isEqualTo("ROLLED_BACK");
        assertThat(r.v2CanaryReason()).contains("error-rate FAIL");
        assertThat(r.summary()).anySatisfy(line -> assertThat(line).contains("canary ROLLED_BACK at 10%: error-rate FAIL (canary mean"));
        assertThat(r.v3CanaryState()).isEqualTo("SUCCEEDED");
        assertThat(r.freezeReleased()).isTrue();
        assertThat(r.toggleAtFull()).isTrue();
        assertThat(r.toggleInProd()).isEqualTo("on for everyone");
        assertThat(r.audit().intact()).as(r.audit().toString()).isTrue();
        assertThat(r.took()).as("the rehearsal must finish in under 3 minutes").isLessThan(Duration.ofMinutes(3));
        assertThat(out).contains("WAIT  freeze", "released freeze-1", "approved by release-manager", "step 1/3: canary weight 10%",
                "analysis: FAIL", "analysis: PASS", "toggle new-checkout in prod: on for 10%", "on for 50%", "Release rehearsal done",
                "report: " + r.report());

        // every line reads right from the command line: no build, 1.0 running in prod, no ratio against 0, times to the second
        assertThat(out).contains("prod runs sample-app 1.0 (sha256:", "WAIT  approvals",
                        "waiting for anyone with the Approve permission, not ci-bot, who requested the promotion",
                        "newer artifact       replaces the older sample-app 1.0 (sha256:",
                        "prod still runs 1.0 on the stable slot")
                .doesNotContain("started the build", "runs no sample-app yet", "infinitely", "inf%")
                .doesNotContainPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d")
                .doesNotContainPattern("\\d\\.\\d{5,}")
                .containsPattern("until \\d\\d:\\d\\d:\\d\\d\\)")
                .containsPattern("is worse than baseline 0 \\(baseline 0, canary 0\\.\\d+; p=")
                .contains("analysis: FAIL, score 0/100: rolled back: at step 1 (10%): score 0 is below 75")
                .doesNotContain("score 0: score 0");

        // what the audit trail says, read back from the store the rehearsal left behind
        try (Store store = Store.open(StoreSettings.h2File(folder.resolve("run/store"), "check"))) {
            List<AuditRecord> records = new AuditTrail(store, Clock.systemUTC()).recent(null, false, 500);
            assertThat(records).extracting(AuditRecord::action)
                    .contains("andon.pull", "andon.release", "promotion.approve", "canary.rollback", "canary.succeed", "toggle.rollout");
            assertThat(records).filteredOn(a -> a.action().equals("andon.pull")).extracting(AuditRecord::principal).containsOnly("oncall-alice");
            assertThat(records).filteredOn(a -> a.action().equals("promotion.request")).extracting(AuditRecord::principal).containsOnly("ci-bot");
        }

        // the report: self-contained, two charts, opened in a browser
        String html = Files.readString(r.report());
        assertThat(html).doesNotContain("<script").doesNotContain("http-equiv").contains("<svg", "canary weight", "version 2.0");
        assertThat(html.split("<svg", -1)).hasSize(3);
        screenshot(r.report());
    }

    private void screenshot(Path report) throws Exception {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1060,1500", "--user-data-dir=" + Files.createDirectories(folder.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.get(report.toUri().toString());
            assertThat(driver.getTitle()).isEqualTo("Release rehearsal");
            assertThat(driver.findElements(By.tagName("svg"))).hasSize(2);
            assertThat(driver.findElement(By.cssSelector("pre.summary")).getText()).contains("Release rehearsal done", "ROLLED_BACK");
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), Path.of("target", "rehearsal-report.png"), StandardCopyOption.REPLACE_EXISTING);
            // docs/images/rehearsal-report.png is refreshed by hand from this file, never by a CI run.
        } finally {
            driver.quit();
        }
    }

    @Test
    void withoutHaproxyItNamesThePackagesToInstall() {
        Path missing = folder.resolve("no-haproxy");
        String message = Rehearsal.missingPackagesMessage(missing);
        assertThat(message).contains(missing.toString(), "apt-get install -y haproxy prometheus");
        Rehearsal.Settings d = Rehearsal.Settings.defaults(folder, "ci-bot");
        Rehearsal.Settings settings = new Rehearsal.Settings(folder, missing, d.prometheus(), "ci-bot", d.soak(), d.v2Plan(), d.v3Plan());
        assertThatThrownBy(() -> new Rehearsal(settings, new PrintWriter(new StringWriter())).run())
                .isInstanceOf(Rehearsal.MissingPackages.class).hasMessageContaining("apt-get install -y haproxy");
    }
}
