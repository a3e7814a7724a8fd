package io.jenkins.plugins.releaseline.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Prometheus from the machine's packages ({@code /usr/bin/prometheus}) on 127.0.0.1 and a free port,
 * with a fresh TSDB in a temporary folder, scraping the given {@code /metrics} URLs every second (job
 * {@code targets}). {@link #awaitUp} waits until every target's {@code up} is 1, since the first scrape lands
 * a few seconds after start. {@link #stop()} and {@link #start()} take it down and bring it back on the same
 * port, for tests of a monitoring outage.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final String BINARY = "/usr/bin/prometheus";

    private final Path dir;
    private final int port;
    private final List<URI> targets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private PrometheusServer(List<URI> targets) throws IOException {
        this.targets = List.copyOf(targets);
        this.dir = Files.createTempDirectory("release-line-prometheus-");
        this.port = Ports.free();
        StringBuilder yml = new StringBuilder()
                .append("global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n  evaluation_interval: 1s\n")
                .append("scrape_configs:\n");
        int n = 0;
        for (URI t : this.targets) {
            yml.append("  - job_name: 'target").append(n++).append("'\n")
                    .append("    metrics_path: '").append(t.getPath().isEmpty() ? "/metrics" : t.getPath()).append("'\n")
                    .append("    static_configs:\n      - targets: ['").append(t.getHost()).append(':').append(t.getPort()).append("']\n");
        }
        Files.writeString(dir.resolve("prometheus.yml"), yml);
    }

    /** Starts Prometheus scraping {@code metricsUrls} (each {@code http://127.0.0.1:port/path}) every second. */
    public static PrometheusServer scraping(String... metricsUrls) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("Prometheus is not installed (" + BINARY + " is missing), so the canary "
                    + "tests with Prometheus cannot run. Install it with `apt-get update && apt-get install -y prometheus` "
                    + "(bin/test does this for you), then run the tests again.");
        }
        try {
            PrometheusServer p = new PrometheusServer(Stream.of(metricsUrls).map(URI::create).toList());
            p.start();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Prometheus", e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** (Re)starts the server on its port with its data folder; returns when its API answers. */
    public void start() {
        if (isRunning()) {
            return;
        }
        try {
            process = new ProcessBuilder(BINARY, "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-lifecycle", "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("prometheus.log").toFile()))
                    .start();
            ProcessTree.stopAtExit(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + BINARY, e);
        }
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            if (get("/-/ready").map(r -> r.statusCode() == 200).orElse(false)) {
                return;
            }
            sleep(100);
        }
        ProcessTree.stop(process, Duration.ZERO);
        throw new IllegalStateException("Prometheus did not become ready within 60 s:\n" + log());
    }

    /** Waits until {@code up == 1} for every target, i.e. each has been scraped at least once. */
    public void awaitUp(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        String q = "/api/v1/query?query=" + URLEncoder.encode("count(up == 1)", StandardCharsets.UTF_8);
        String last = "";
        while (System.nanoTime() < end) {
            var r = get(q);
            if (r.isPresent()) {
                last = r.get().body();
                if (last.contains("\"value\":[") && last.matches(".*\"value\":\\[[0-9.]+,\"" + targets.size() + "\"\\].*")) {
                    return;
                }
            }
            sleep(200);
        }
        throw new IllegalStateException("Prometheus did not see all " + targets.size() + " targets up within " + timeout
                + "; last answer: " + last + "\n" + log());
    }

    /** Runs an instant query; the raw JSON answer. */
    public String query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .map(HttpResponse::body).orElseThrow(() -> new IllegalStateException("Prometheus did not answer"));
    }

    private java.util.Optional<HttpResponse<String>> get(String path) {
        try {
            return java.util.Optional.of(http.send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Kills the server (SIGKILL); {@link #start()} brings it back with the data it had flushed. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            ProcessTree.stop(process, Duration.ZERO); // waits for it and forgets its exit hook
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Prometheus on " + url() + " scraping " + targets;
    }
}
