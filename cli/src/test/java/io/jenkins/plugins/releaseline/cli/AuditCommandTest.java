package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {

    @TempDir
    Path folder;
    Path file;

    @BeforeEach
    void fill() {
        file = folder.resolve("store");
        try (Store store = Store.open(StoreSettings.h2File(file, "jenkins-a"))) {
            AuditTrail audit = new AuditTrail(store, Clock.systemUTC());
            audit.append("alice", AuditEvent.of("andon.pull", AuditScope.parse("environment:prod"), "payments down"));
            audit.append("bob", AuditEvent.of("andon.release", AuditScope.parse("environment:prod"), "fixed"));
            audit.append("carol", AuditEvent.of("toggle.set", AuditScope.parse("toggle:new-checkout"), "10%"));
        }
    }

    @Test
    void verifySaysTheChainIsIntact() {
        CliRun run = CliRun.of("audit", "verify", "--store", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("audit trail intact (3 records)");
    }

    @Test
    void verifyNamesAnEditedRecordAndExitsWithAnError() throws Exception {
        try (Store store = Store.open(StoreSettings.h2File(file, "tamper"))) {
            store.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE release_line_audit SET principal = 'mallory' WHERE seq = 2");
                }
            });
        }
        CliRun run = CliRun.of("audit", "verify", "--store", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.out()).contains("broken at record 2");
    }

    @Test
    void listFiltersByScopeAndPrintsJsonForScripts() throws Exception {
        CliRun text = CliRun.of("audit", "list", "--store", file.toString(), "--scope", "environment:prod");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("alice", "payments down", "bob").doesNotContain("carol");

        CliRun json = CliRun.of("audit", "list", "--store", file.toString(), "--limit", "2", "-o", "json");
        JsonNode page = new ObjectMapper().readTree(json.out());
        assertThat(page.get("records")).hasSize(2);
        assertThat(page.get("records").get(0).get("principal").asText()).isEqualTo("alice");
        assertThat(page.get("next").asLong()).isEqualTo(2);
    }

    @Test
    void badInputExitsWithOneAndNamesTheField() {
        CliRun scope = CliRun.of("audit", "list", "--store", file.toString(), "--scope", "planet:mars");
        assertThat(scope.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(scope.err()).contains("scope: unknown kind 'planet'");

        CliRun unknown = CliRun.of("audit", "list", "--bogus");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(unknown.err()).contains("Unknown option: '--bogus'");

        CliRun both = CliRun.of("audit", "verify", "--store", file.toString(), "--jdbc-url", "jdbc:postgresql://127.0.0.1/x");
        assertThat(both.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(both.err()).contains("--store and --jdbc-url");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"audit", "--help"}, {"audit", "verify", "--help"}, {"audit", "list", "--help"}}) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).startsWith("Usage: release-line");
        }
    }
}
