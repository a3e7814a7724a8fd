package io.jenkins.plugins.releaseline.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.testing.PrometheusServer;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleDefinition;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics endpoint's text, and a real Prometheus scraping it and answering PromQL over what it scraped. */
class DeliveryMetricsPrometheusTest {

    @TempDir
    Path folder;

    DeliveryMetrics metrics;
    /** The contract's known week in prod, on H2. */
    final WeekInProd ledger = new WeekInProd();

    private final class WeekInProd extends KnownLedger {
        @Override
        StoreTarget newTarget() {
            return StoreTarget.h2(folder);
        }
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @BeforeEach
    void history() throws Exception {
        ledger.open();
        ledger.weekInProd();
        var board = ledger.board;
        var store = ledger.store;
        var clock = ledger.clock;
        var audit = ledger.audit;
        // prod frozen again now, still active; 30 minutes so far
        board.pull("erin", PullRequest.of(FreezeScope.environment("prod"), "DB \"failover\" drill\nsecond line"));
        clock.advance(Duration.ofMinutes(30));
        FeatureToggles toggles = new FeatureToggles(store, audit, clock);
        toggles.addEnvironment("ci", "prod", null);
        toggles.define("ci", ToggleDefinition.bool("new-checkout", "one-page checkout", "team-checkout"), null);
        toggles.set("bob", "new-checkout", "prod", true, null, "launch");
        toggles.set("bob", "new-checkout", "prod", false, null, "errors");
        toggles.set("bob", "new-checkout", "prod", true, null, "fixed");
        toggles.kill("bob", "new-checkout", "prod", "errors again");
        // canary analyses as the canary controller stores them (its writer is not public; its table is the contract)
        store.inTransaction(c -> {
            String[][] rows = {{"ANALYSIS", "PASS"}, {"ANALYSIS", "PASS"}, {"ANALYSIS", "FAIL"}, {"ROLLED_BACK", null},
                    {"ANALYSIS", "INCONCLUSIVE"}};
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_canary_event (rollout_id, seq, at_millis, kind, "
                    + "state, step_index, weight, verdict) VALUES ('checkout-7', ?, ?, ?, 'RUNNING', 0, 10, ?)")) {
                for (int i = 0; i < rows.length; i++) {
                    ins.setInt(1, i + 1);
                    ins.setLong(2, clock.millis());
                    ins.setString(3, rows[i][0]);
                    ins.setString(4, rows[i][1]);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            return null;
        });
        metrics = new DeliveryMetrics(store, ledger.telemetry, clock);
    }

    @Test
    void theExpositionCountsWhatTheStoreHolds() {
        String text = metrics.render();
        assertThat(text).contains(
                "# TYPE release_line_promotions_total counter\n",
                "release_line_promotions_total{environment=\"prod\",outcome=\"deployed\"} 6\n",
                "release_line_promotions_total{environment=\"prod\",outcome=\"failed\"} 1\n",
                "release_line_promotions_total{environment=\"prod\",outcome=\"rolled_back\"} 1\n",
                "release_line_promotions_total{environment=\"staging\",outcome=\"deployed\"} 6\n",
                "release_line_rollbacks_total{environment=\"prod\"} 1\n",
                "# TYPE release_line_freezes_active gauge\nrelease_line_freezes_active 1\n",
                // 45 minutes released + 30 minutes still frozen
                "release_line_frozen_seconds_total{scope=\"environment:prod\"} 4500\n",
                "release_line_canary_analyses_total{verdict=\"fail\"} 1\n",
                "release_line_canary_analyses_total{verdict=\"pass\"} 2\n",
                "release_line_canary_analyses_total{verdict=\"inconclusive\"} 1\n",
                "release_line_canary_rollbacks_total 1\n",
                "release_line_toggle_flips_total{environment=\"prod\",to=\"off\"} 2\n",
                "release_line_toggle_flips_total{environment=\"prod\",to=\"on\"} 2\n");
        // every line is a comment or "name{labels} value", and each family is declared once
        for (String line : text.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) [a-z_]+ .*|[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? -?[0-9.eE+-]+");
        }
        assertThat(text.split("# TYPE release_line_promotions_total", -1)).hasSize(2);
        assertThat(PrometheusText.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }

    @Test
    void aRealPrometheusScrapesTheEndpointAndAnswersPromQl() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> scrapes = new ArrayList<>();
        server.createContext("/release-line/prometheus", ex -> {
            try (ex) {
                byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
                synchronized (scrapes) {
                    scrapes.add(ex.getRequestHeaders().getFirst("Accept"));
                }
                ex.getResponseHeaders().set("Content-Type", DeliveryMetrics.CONTENT_TYPE);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        try (PrometheusServer prometheus = PrometheusServer.scraping(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/release-line/prometheus")) {
            prometheus.awaitUp(Duration.ofSeconds(90));
            ObjectMapper json = new ObjectMapper();

            JsonNode deployed = json.readTree(prometheus.query("sum by (environment) (release_line_promotions_total{outcome=\"deployed\"})"));
            assertThat(deployed.at("/status").asText()).isEqualTo("success");
            List<String> seen = new ArrayList<>();
            for (JsonNode r : deployed.at("/data/result")) {
                seen.add(r.at("/metric/environment").asText() + "=" + r.at("/value/1").asText());
            }
            assertThat(seen).containsExactlyInAnyOrder("prod=6", "staging=6");

            JsonNode failureRatio = json.readTree(prometheus.query(
                    "sum(release_line_promotions_total{environment=\"prod\",outcome=\"failed\"}) / "
                            + "sum(release_line_promotions_total{environment=\"prod\",outcome=~\"deployed|failed\"})"));
            assertThat(failureRatio.at("/data/result/0/value/1").asDouble()).isEqualTo(1 / 7.0, org.assertj.core.data.Offset.offset(1e-9));

            JsonNode frozen = json.readTree(prometheus.query("release_line_freezes_active"));
            assertThat(frozen.at("/data/result/0/value/1").asText()).isEqualTo("1");
        } finally {
            server.stop(0);
        }
        assertThat(scrapes).isNotEmpty();
    }
}
