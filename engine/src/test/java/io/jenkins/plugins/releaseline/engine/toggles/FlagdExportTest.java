package io.jenkins.plugins.releaseline.engine.toggles;

import static io.jenkins.plugins.releaseline.engine.toggles.ToggleExamples.PRINCIPAL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flagd export: valid against flagd's published schema, written atomically, served with ETags. */
class FlagdExportTest {

    @TempDir
    Path folder;

    Store store;
    FeatureToggles toggles;

    @BeforeEach
    void open() {
        store = StoreTarget.h2(folder).open();
        TestClock clock = new TestClock(Instant.parse("2026-10-01T08:00:00Z"));
        toggles = new FeatureToggles(store, new AuditTrail(store, clock), clock);
        ToggleExamples.defineAll(toggles);
        toggles.addEnvironment(PRINCIPAL, "staging", null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theExportIsValidAgainstFlagdsPublishedSchema() throws Exception {
        // flags.json and targeting.json as the flagd provider 0.11.15 ships them (https://flagd.dev/schema/v0/)
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, b -> b.schemaMappers(m -> m.mappings(Map.of(
                "https://flagd.dev/schema/v0/flags.json", "classpath:flagd/schemas/flags.json",
                "https://flagd.dev/schema/v0/targeting.json", "classpath:flagd/schemas/targeting.json"))));
        JsonSchema schema = factory.getSchema(URI.create("https://flagd.dev/schema/v0/flags.json"));
        for (String env : toggles.environments()) {
            JsonNode doc = ToggleJson.MAPPER.readTree(FlagdExport.of(toggles.snapshot(), env).json());
            Set<ValidationMessage> problems = schema.validate(doc);
            assertThat(problems).as("schema problems in %s", env).isEmpty();
        }
        // and the schema does catch a broken document
        JsonNode broken = ToggleJson.MAPPER.readTree("{\"flags\":{\"x\":{\"state\":\"MAYBE\",\"variants\":{\"on\":true},\"defaultVariant\":\"on\"}}}");
        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void theExportSaysWhatEachToggleDoes() throws Exception {
        JsonNode flags = ToggleJson.MAPPER.readTree(FlagdExport.of(toggles.snapshot(), "prod").json()).get("flags");
        assertThat(flags.get("disabled").get("state").asText()).isEqualTo("DISABLED");
        assertThat(flags.get("simple-on").get("defaultVariant").asText()).isEqualTo("on");
        assertThat(flags.get("simple-on").has("targeting")).isFalse();
        assertThat(flags.get("ten-percent").get("targeting").toString())
                .isEqualTo("{\"fractional\":[[\"on\",10],[\"off\",90]]}");
        assertThat(flags.get("checkout-ab").get("targeting").toString())
                .isEqualTo("{\"if\":[{\"==\":[{\"var\":\"plan\"},\"beta-tester\"]},\"treatment\","
                        + "{\"fractional\":[[\"control\",50],[\"treatment\",50]]}]}");
        assertThat(flags.get("colour-test").get("targeting").toString()).contains(
                "{\"sem_ver\":[{\"var\":\"version\"},\"^\",\"4.0.0\"]},\"blue\"",
                "{\"==\":[{\"fractional\":[[\"in\",30],[\"out\",70]]},\"in\"]}",
                "{\"fractional\":[{\"cat\":[\"colour-test/split/\",{\"var\":\"targetingKey\"}]},[\"red\",20],[\"green\",30],[\"blue\",50]]}");
        assertThat(flags.get("ten-rules").get("targeting").toString()).contains(
                "{\"starts_with\":[{\"var\":\"email\"},\"qa-\"]}", "{\"in\":[{\"var\":\"country\"},[\"KP\",\"IR\",\"SY\",\"CU\"]]}");
        assertThat(flags.get("ten-rules").get("metadata").get("description").asText()).isEqualTo("Ten rules and a 25% rollout");
    }

    @Test
    void equalContentGivesEqualBytesAndEtagAndAFlipChangesThem() {
        FlagdExport a = FlagdExport.of(toggles.snapshot(), "prod");
        toggles.reload();
        FlagdExport b = FlagdExport.of(toggles.snapshot(), "prod");
        assertThat(b.json()).isEqualTo(a.json());
        assertThat(b.etag()).isEqualTo(a.etag()).startsWith("\"").endsWith("\"");
        toggles.set(PRINCIPAL, "disabled", "prod", true, null, null);
        assertThat(FlagdExport.of(toggles.snapshot(), "prod").etag()).isNotEqualTo(a.etag());
    }

    @Test
    void filesAreKeptWrittenPerEnvironmentAndFollowEachChange() throws Exception {
        Path out = folder.resolve("exports");
        FlagdExportFile.keepWritten(toggles, out);
        Path prod = out.resolve("prod.flagd.json");
        assertThat(out.resolve("staging.flagd.json")).exists();
        assertThat(Files.readString(prod)).contains("\"disabled\"");
        String before = Files.readString(prod);
        toggles.set(PRINCIPAL, "disabled", "prod", true, null, null);
        assertThat(Files.readString(prod)).isNotEqualTo(before).isEqualTo(FlagdExport.of(toggles.snapshot(), "prod").text());
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary files left")
                    .containsExactlyInAnyOrder("prod.flagd.json", "staging.flagd.json");
        }
        assertThat(FlagdExportFile.write(FlagdExport.of(toggles.snapshot(), "prod"), prod)).as("unchanged, not rewritten").isFalse();
    }

    @Test
    void theServerAnswersWithEtagsAnd304sAndAsksForTheEnvironmentsToken() throws Exception {
        String token = "s3cret-token-for-prod-0123456789";
        try (FlagdExportServer server = FlagdExportServer.start(toggles, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "/release-line/toggles/", Map.of("prod", token))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/release-line/toggles/";

            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(base + "staging.flagd.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(first.body()).isEqualTo(FlagdExport.of(toggles.snapshot(), "staging").text());
            assertThat(first.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");

            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "staging.flagd.json"))
                    .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();

            toggles.set(PRINCIPAL, "simple-on", "staging", true, null, null);
            HttpResponse<String> changed = http.send(HttpRequest.newBuilder(URI.create(base + "staging.flagd.json"))
                    .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(changed.statusCode()).as("the flip is served by the next request").isEqualTo(200);
            assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);

            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "prod.flagd.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "prod.flagd.json")).header("Authorization", "Bearer wrong-token-wrong-token")
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> authorized = http.send(HttpRequest.newBuilder(URI.create(base + "prod.flagd.json"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(authorized.statusCode()).isEqualTo(200);
            assertThat(authorized.body()).contains("\"ten-rules\"");

            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "qa.flagd.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "staging.flagd.json"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        }
    }
}
