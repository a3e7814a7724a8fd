package io.jenkins.plugins.releaseline.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The DORA section as the plugin draws it: its real {@code dora.js} and {@code dora.css}, ECharts (the copy in
 * {@code telemetry/echarts}, Apache-2.0, licence alongside), and the JSON of {@link DoraPage} over 100 days of
 * deployments made through the real promotion engine, served on 127.0.0.1 and opened in headless Chromium.
 * Leaves {@code target/telemetry-dora.png} (docs/images/telemetry-dora.png is a copy).
 */
class DoraChartBrowserTest extends KnownLedger {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String ASSETS = "plugin/src/main/resources/io/jenkins/plugins/releaseline/telemetry";

    @TempDir
    Path folder;

    HttpServer server;
    ChromeDriver driver;

    @Override
    StoreTarget newTarget() {
        return StoreTarget.h2(folder.resolve("db"));
    }

    @BeforeEach
    void start() throws Exception {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("The browser test needs Debian's Chromium and its driver: apt-get install chromium chromium-driver");
        }
        open();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.stop(0);
        }
        close();
    }

    /** 100 days: staging daily, prod most working days, some failures, rollbacks, a hotfix, a verification failure, two freezes. */
    void hundredDays() {
        Random random = new Random(42);
        clock.set(T0);
        int n = 0;
        for (int day = 0; day < 100; day++) {
            Instant morning = T0.plus(Duration.ofDays(day)).plus(Duration.ofHours(8));
            clock.set(morning);
            int builds = day % 7 >= 5 ? 0 : 1 + random.nextInt(day < 50 ? 2 : 3);
            for (int b = 0; b < builds; b++) {
                String digest = hex(++n);
                boolean hotfix = random.nextInt(25) == 0;
                telemetry.recordChange("ci", "app", digest, "c" + n, clock.instant().minus(Duration.ofMinutes(30 + random.nextInt(day < 50 ? 2_000 : 400))), hotfix);
                deploy("staging", digest, Duration.ofMinutes(3 + random.nextInt(5)), true);
                clock.advance(Duration.ofMinutes(20 + random.nextInt(60)));
                boolean fails = random.nextInt(day < 50 ? 6 : 12) == 0;
                Promotion p = deploy("prod", digest, Duration.ofMinutes(5 + random.nextInt(10)), !fails);
                clock.advance(Duration.ofMinutes(30 + random.nextInt(90)));
                if (!fails && random.nextInt(day < 50 ? 8 : 20) == 0) {
                    if (random.nextBoolean()) {
                        rollback("prod", Duration.ofMinutes(5 + random.nextInt(20)));
                    } else {
                        telemetry.recordFailedVerification("monitor", p.id(), "error budget burn");
                    }
                }
                clock.advance(Duration.ofMinutes(60));
            }
            if (day == 30 || day == 77) {
                Freeze f = board.pull("dave", PullRequest.of(FreezeScope.environment("prod"), "incident on day " + day));
                clock.advance(Duration.ofMinutes(40 + day));
                board.release("dave", f.id(), "resolved");
            }
        }
        clock.set(T0.plus(Duration.ofDays(100)).plus(Duration.ofHours(1)));
    }

    @Test
    void thePageShowsTheEngineFiguresAndTheTrendChart() throws Exception {
        hundredDays();
        DoraPage page = new DoraPage(telemetry, clock);
        String json = page.json(List.of("prod", "staging"), ZoneId.of("UTC"));
        DoraFigures prod = telemetry.figures("prod", DoraPage.WINDOW);
        assertThat(prod.deployments()).isGreaterThan(20);
        assertThat(prod.changeFailureRate()).isNotNull();

        Path assets = assetsFolder();
        Path echarts = Path.of(getClass().getResource("/telemetry/echarts/echarts.min.js").toURI()).getParent();
        Path index = Path.of(getClass().getResource("/telemetry/index.html").toURI());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/")) {
                send(ex, "text/html", Files.readAllBytes(index));
            } else if (path.equals("/dora.json")) {
                send(ex, "application/json", json.getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/assets/") && !path.contains("..")) {
                send(ex, path.endsWith(".css") ? "text/css" : "text/javascript", Files.readAllBytes(assets.resolve(path.substring(8))));
            } else if (path.equals("/echarts/echarts.min.js")) {
                send(ex, "text/javascript", Files.readAllBytes(echarts.resolve("echarts.min.js")));
            } else {
                ex.sendResponseHeaders(404, -1);
                ex.close();
            }
        });
        server.start();

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + Files.createDirectories(folder.resolve("chromium-profile")));
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build(),
                options);
        driver.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> "true".equals(
                d.findElement(By.id("release-line-dora")).getAttribute("data-ready")));

        List<WebElement> sections = driver.findElements(By.cssSelector(".rl-dora-environment"));
        assertThat(sections).extracting(s -> s.getAttribute("data-environment")).containsExactly("prod", "staging");
        WebElement prodSection = sections.get(0);
        List<WebElement> values = prodSection.findElements(By.cssSelector(".rl-dora-value"));
        assertThat(values.get(0).getText()).isEqualTo((Math.round(prod.deploymentsPerDay() * 100) / 100.0) + " / day");
        assertThat(values.get(2).getText()).isEqualTo((Math.round(prod.changeFailureRate() * 1000) / 10.0) + " %");
        assertThat(prodSection.findElements(By.cssSelector(".rl-dora-detail")).get(2).getText())
                .isEqualTo(prod.failedChanges() + " of " + prod.changes() + " changes");
        assertThat(prodSection.findElements(By.cssSelector(".rl-dora-band"))).extracting(b -> b.getAttribute("data-band"))
                .containsExactly(band(prod.deploymentFrequencyBand()), band(prod.leadTimeBand()), band(prod.changeFailureRateBand()),
                        band(prod.timeToRestoreBand()));
        // ECharts drew into a canvas of the chart's size in each section
        assertThat(driver.findElements(By.cssSelector(".rl-dora-chart canvas"))).hasSizeGreaterThanOrEqualTo(2);
        Object drawn = driver.executeScript("var c = document.querySelector('.rl-dora-chart canvas');"
                + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; var n = 0;"
                + "for (var i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n;");
        assertThat(((Number) drawn).longValue()).isGreaterThan(5_000);

        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "telemetry-dora.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String band(DoraBand b) {
        return b.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static Path assetsFolder() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path base = here; base != null; base = base.getParent()) {
            Path candidate = base.resolve(ASSETS);
            if (Files.isRegularFile(candidate.resolve("dora.js"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cannot find " + ASSETS + "/dora.js above " + here + "; run the engine tests from a checkout of the whole repository");
    }
}
