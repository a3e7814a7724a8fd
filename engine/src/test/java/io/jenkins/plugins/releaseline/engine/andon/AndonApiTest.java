package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the page's API answers, status and body, for each outcome the plugin's root action passes on. */
class AndonApiTest {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path folder;
    Store store;
    FreezeBoard board;
    AndonApi api;

    @BeforeEach
    void open() {
        store = StoreTarget.h2(folder).open();
        TestClock clock = new TestClock(T0);
        board = new FreezeBoard(store, new AuditTrail(store, clock), clock,
                (principal, action) -> !principal.equals("viewer") && (action != AndonPermissions.Action.OVERRIDE || principal.equals("lead")));
        api = new AndonApi(board, clock);
    }

    @AfterEach
    void close() {
        board.close();
        store.close();
    }

    @Test
    void pullReleaseAndTheirRefusals() {
        AndonApi.Response running = api.state();
        assertThat(running.status()).isEqualTo(200);
        assertThat(running.json()).contains("\"state\":\"running\"");

        AndonApi.Response pulled = api.pull("alice", Map.of("scope", "environment:prod", "stops", "all-builds",
                "reason", "Payments down", "expiresInMinutes", "90")::get);
        assertThat(pulled.status()).isEqualTo(200);
        assertThat(pulled.json()).contains("\"state\":\"stopped\"").contains("\"until\":\"2026-11-20T11:30:00Z\"")
                .contains("\"stops\":\"all-builds\"");

        assertThat(api.pull("alice", Map.of("scope", "everything", "reason", "")::get))
                .satisfies(r -> assertThat(r.status()).isEqualTo(400))
                .satisfies(r -> assertThat(r.json()).startsWith("{\"error\":\"reason: must say why"));
        assertThat(api.pull("alice", Map.of("scope", "region:eu", "reason", "x")::get).json()).contains("scope: 'region:eu' is not understood");
        assertThat(api.pull("alice", Map.of("scope", "everything", "reason", "x", "expiresInMinutes", "soon")::get).json())
                .contains("expiresInMinutes: 'soon' is not a whole number");
        assertThat(api.pull("alice", Map.of("scope", "everything", "reason", "x", "stops", "some")::get).json())
                .contains("stops: 'some' is neither");
        assertThat(api.pull("viewer", Map.of("scope", "everything", "reason", "x")::get).status()).isEqualTo(403);

        long id = board.active().get(0).id();
        assertThat(api.release("viewer", Map.of("id", String.valueOf(id))::get).status()).isEqualTo(403);
        assertThat(api.release("bob", Map.of("id", "freeze-" + id, "note", "back")::get).json()).contains("\"state\":\"running\"");
        AndonApi.Response again = api.release("carol", Map.of("id", String.valueOf(id))::get);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json()).contains("was already released by bob");
        assertThat(api.release("bob", Map.of("id", "twelve")::get).json()).contains("id: 'twelve' names no freeze");
    }

    @Test
    void breakGlassNeedsThePermissionAndNamesTheBuild() {
        api.pull("alice", Map.of("scope", "everything", "reason", "incident")::get);
        String freeze = "freeze-" + board.active().get(0).id();
        assertThat(api.override("alice", Map.of("freeze", freeze, "build", "app#3", "reason", "hotfix")::get).status()).isEqualTo(403);
        assertThat(api.override("lead", Map.of("freeze", freeze, "reason", "hotfix")::get).json()).contains("build: must name the build");
        assertThat(api.override("lead", Map.of("freeze", freeze, "build", "app#3", "reason", "hotfix")::get).status()).isEqualTo(200);
        assertThat(board.check(new WorkScope("app", "prod", "app#3"), WorkKind.DEPLOYMENT).allowed()).isTrue();
        assertThat(board.check(new WorkScope("app", "prod", "app#4"), WorkKind.DEPLOYMENT).blocked()).isTrue();
    }
}
