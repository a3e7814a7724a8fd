package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Andon page in Debian's headless Chromium, against a real board on H2: the plugin's own script and
 * styles, served by {@link AndonPageServer}. Pulls the cord, sees the red state and the reason, releases it,
 * sees green, and sees the board's message for an empty reason. Leaves a screenshot in
 * {@code target/andon-page.png} (docs/images/andon-page.png is a copy of it).
 */
class AndonPageBrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    Path folder;

    Store store;
    FreezeBoard board;
    AndonPageServer server;
    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            throw new IllegalStateException("The browser test needs Debian's Chromium and its driver: apt-get install chromium chromium-driver");
        }
        // real time, moved to a Wednesday noon in Berlin: the page's "weekend" window (Friday 23:00 to Monday 07:00
        // there) must not hold the line whatever day the test runs
        Instant wednesdayNoon = java.time.ZonedDateTime.of(2026, 11, 25, 12, 0, 0, 0, java.time.ZoneId.of("Europe/Berlin")).toInstant();
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), wednesdayNoon));
        store = StoreTarget.h2(folder.resolve("db")).open();
        board = new FreezeBoard(store, new AuditTrail(store, clock), clock, AndonPermissions.overrideOnlyBy(Set.of()));
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        board.configure("admin", new AndonConfig(List.of(), List.of(
                FreezeWindow.recurring("weekend", FreezeScope.environment("prod"), Stops.DEPLOYMENTS, "No prod deployments over the weekend",
                        "0 23 * * 5", "0 7 * * 1", "Europe/Berlin"),
                FreezeWindow.oneOff("year-end", FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, "Year-end holiday freeze",
                        now.plus(Duration.ofDays(30)), now.plus(Duration.ofDays(42))))));
        server = new AndonPageServer(new AndonApi(board, clock), "alice");

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1500", "--user-data-dir=" + Files.createDirectories(folder.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (board != null) {
            board.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void pullTheCordSeeRedReleaseItSeeGreen() throws Exception {
        driver.get(server.url());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("andon-state"), "Line running"));
        assertThat(driver.findElement(By.id("andon-state")).getAttribute("class")).contains("andon-state--running");
        assertThat(driver.findElement(By.id("andon-windows")).getText()).contains("weekend").contains("0 23 * * 5");

        // an empty reason: the board's own message, nothing pulled
        driver.findElement(By.id("andon-pull")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("andon-error")));
        assertThat(error.getText()).startsWith("reason: must say why");
        assertThat(driver.findElement(By.id("andon-state")).getText()).contains("Line running");
        assertThat(board.isLineStopped()).isFalse();

        // pull with markup in the reason: shown as text, never run
        String reason = "Payments API down, INC-4711 <script>window.andonPwned = true</script>";
        driver.findElement(By.id("andon-reason")).sendKeys(reason);
        driver.findElement(By.id("andon-link")).sendKeys("https://status.example.com/INC-4711");
        driver.findElement(By.id("andon-pull")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("andon-state"), "Line stopped"));
        assertThat(driver.findElement(By.id("andon-state")).getAttribute("class")).contains("andon-state--stopped");
        assertThat(driver.findElement(By.id("andon-error")).isDisplayed()).isFalse();
        WebElement reasonCell = driver.findElement(By.cssSelector("#andon-active .andon-reason"));
        assertThat(reasonCell.getText()).isEqualTo(reason);
        assertThat(driver.findElements(By.cssSelector("#andon-root script"))).isEmpty();
        assertThat(driver.executeScript("return window.andonPwned === undefined")).isEqualTo(true);
        assertThat(driver.findElement(By.cssSelector("#andon-active a")).getAttribute("href")).isEqualTo("https://status.example.com/INC-4711");
        assertThat(board.check(WorkScope.deployment("team-a/app", "prod", null), WorkKind.DEPLOYMENT).blockers())
                .singleElement().extracting(Blocker::reason).isEqualTo(reason);
        assertThat(driver.findElement(By.id("andon-active")).getText()).contains("alice").contains("everything");

        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "andon-page.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);

        // release it with a note
        driver.findElement(By.cssSelector("#andon-active .andon-note")).sendKeys("Payments API back");
        driver.findElement(By.cssSelector("#andon-active .andon-release")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("andon-state"), "Line running"));
        assertThat(driver.findElement(By.id("andon-state")).getAttribute("class")).contains("andon-state--running");
        assertThat(driver.findElement(By.id("andon-history")).getText()).contains("released").contains("Payments API back");
        assertThat(board.isLineStopped()).isFalse();
    }
}
