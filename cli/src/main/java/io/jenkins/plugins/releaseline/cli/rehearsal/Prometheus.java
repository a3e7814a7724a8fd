package io.jenkins.plugins.releaseline.cli.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;

/** Prometheus (Debian's {@code /usr/bin/prometheus}) scraping HAProxy's exporter every second, on 127.0.0.1. */
final class Prometheus implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final int port;
    private final LocalProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Prometheus(Path binary, Path folder, String haproxyTarget) {
        this.port = LocalProcess.freePort();
        Path config = folder.resolve("prometheus.yml");
        String yml = String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: haproxy",
                "    static_configs:",
                "      - targets: ['" + haproxyTarget + "']",
                "");
        try {
            Files.writeString(config, yml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + config, e);
        }
        process = new LocalProcess("Prometheus", List.of(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + folder.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"), folder.resolve("prometheus.log"));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Waits until HAProxy has been scraped: before that a query answers nothing. */
    void awaitFirstScrape(Duration timeout) {
        process.awaitReady(this::scraped, timeout);
    }

    private boolean scraped() {
        try {
            HttpRequest req = HttpRequest.newBuilder(url().resolve("/api/v1/query?query="
                    + URLEncoder.encode("up{job=\"haproxy\"} == 1", StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                return false;
            }
            JsonNode result = new ObjectMapper().readTree(resp.body()).path("data").path("result");
            return result.isArray() && result.size() > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
