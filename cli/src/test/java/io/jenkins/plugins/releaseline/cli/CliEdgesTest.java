package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of the command line: JSON output of every store command with data in it, environments checked
 * against the configured line, and refusals that name the option as typed, say the fix and change nothing.
 */
class CliEdgesTest {

    static final String DIGEST_A = "sha256:" + "a".repeat(64);
    static final String DIGEST_B = "sha256:" + "b".repeat(64);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;
    String store;

    @BeforeEach
    void paths() {
        store = folder.resolve("store").toString();
        CliRun init = CliRun.of("store", "init", "--store", store);
        assertThat(init.exitCode()).as(init.err()).isZero();
        // the tests act as alice, bob, carol...: whoever runs them (the store file's owner) may, with the grant
        CliRun grant = CliRun.of("store", "grant-impersonation", System.getProperty("user.name"), "--store", store);
        assertThat(grant.exitCode()).as(grant.err()).isZero();
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store");
        all.add(store);
        return CliRun.of(all.toArray(String[]::new));
    }

    /** Runs with {@code -o json}, expects {@code code}, and parses standard output as one JSON document. */
    private JsonNode json(int code, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-o");
        all.add("json");
        CliRun r = run(all.toArray(String[]::new));
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", args), r.err()).isEqualTo(code);
        assertThat(r.err()).as(String.join(" ", args)).doesNotContain("Could not write JSON", "could not write JSON");
        return JSON.readTree(r.out());
    }

    private void requestProdAs(String who) throws Exception {
        try (Store s = Store.open(StoreSettings.h2File(Path.of(store), "jenkins-a"))) {
            PromotionEngine engine = new PromotionEngine(s, new AuditTrail(s, Clock.systemUTC()), Clock.systemUTC(), null);
            engine.request(new PromotionRequest("prod", Artifact.of("app", "1.0", DIGEST_A), "release/1.0", "app/main", null, who));
        }
    }

    private long auditCount(String action) throws Exception {
        JsonNode records = json(0, "audit", "list", "--limit", "1000").get("records");
        long n = 0;
        for (JsonNode r : records) {
            n += r.get("action").asText().equals(action) ? 1 : 0;
        }
        return n;
    }

    @Test
    void diffJsonWithRowsWritesTheOptionalSidesAsObjectsOrNull() throws Exception {
        assertThat(run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "integration").exitCode()).isZero();
        JsonNode diff = json(0, "diff", "integration", "staging");
        JsonNode row = diff.get("rows").get(0);
        assertThat(row.get("artifact").asText()).isEqualTo("app");
        assertThat(row.get("inFrom").get("artifact").get("version").asText()).isEqualTo("1.0");
        assertThat(row.get("inTo").isNull()).isTrue();
    }

    /** Every command that prints JSON, against a store with data in it: each answer parses and carries the data. */
    @Test
    void everyStoreCommandWritesJsonWithDataInIt() throws Exception {
        JsonNode pulled = json(0, "andon", "pull", "--scope", "environment:staging", "--reason", "db migration", "--for", "2h",
                "--link", "https://incidents.example/42", "--as", "alice");
        assertThat(pulled.get("id").asLong()).isEqualTo(1);
        JsonNode status = json(2, "andon", "status", "--environment", "staging");
        assertThat(status.get("blockers")).hasSize(1);
        assertThat(status.get("allowed").asBoolean()).isFalse();
        assertThat(json(0, "andon", "history")).hasSize(1);
        assertThat(json(0, "andon", "release", "freeze-1", "--note", "done", "--as", "bob").get("releasedBy").asText()).isEqualTo("bob");

        assertThat(json(0, "promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "integration").get("outcome").asText()).isEqualTo("DEPLOYED");
        assertThat(json(0, "promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.1", "--digest", DIGEST_B,
                "--branch", "integration", "--start-only").get("outcome").asText()).isEqualTo("DEPLOYING");
        assertThat(json(0, "promote", "--finish", "2").get("promotion").get("status").asText()).isEqualTo("DEPLOYED");
        assertThat(json(0, "promote", "--to", "staging", "--artifact", "app", "--artifact-version", "1.1", "--digest", DIGEST_B,
                "--branch", "main").get("outcome").asText()).isEqualTo("DEPLOYED");
        JsonNode rollback = json(0, "rollback", "--environment", "integration", "--artifact", "app", "--reason", "1.1 is slow");
        assertThat(rollback.get("promotion").get("artifact").get("version").asText()).isEqualTo("1.0");

        JsonNode diff = json(0, "diff", "integration", "staging");
        assertThat(diff.get("rows").get(0).get("inFrom").get("artifact").get("version").asText()).isEqualTo("1.0");
        assertThat(diff.get("rows").get(0).get("inTo").get("artifact").get("version").asText()).isEqualTo("1.1");

        requestProdAs("carol");
        JsonNode promotionStatus = json(0, "status");
        assertThat(promotionStatus.get("environments").get("staging")).hasSize(1);
        assertThat(promotionStatus.get("pendingApprovals")).hasSize(1);
        assertThat(json(0, "status", "--environment", "integration").get("environments").get("integration")).hasSize(1);
        assertThat(json(0, "approve", String.valueOf(promotionStatus.get("pendingApprovals").get(0).get("promotion").get("id").asLong()),
                "--as", "dave").get(0).get("approver").asText()).isEqualTo("dave");

        assertThat(json(0, "toggles", "set", "new-checkout", "--environment", "prod", "--percent", "10", "--create",
                "--reason", "start")).isNotEmpty();
        assertThat(json(0, "toggles", "list")).hasSize(1);
        assertThat(json(0, "toggles", "kill", "new-checkout", "--environment", "prod", "--reason", "errors")).isNotEmpty();

        assertThat(json(0, "audit", "list").get("records").size()).isGreaterThan(8);
        assertThat(json(0, "audit", "verify").get("intact").asBoolean()).isTrue();
    }

    @Test
    void aScopeOnAnEnvironmentThatIsNotConfiguredIsRefusedUnlessAllowed() throws Exception {
        CliRun typo = run("andon", "pull", "--scope", "environment:prdo", "--reason", "on call");
        assertThat(typo.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(typo.out()).doesNotContain("pulled");
        assertThat(typo.err()).isEqualTo("release-line: --scope: 'prdo' is not an environment of the line; the configured"
                + " environments are integration, staging, prod (give --allow-unknown-scope for one not configured yet)\n");
        assertThat(json(0, "andon", "history")).as("nothing was frozen").isEmpty();

        CliRun allowed = run("andon", "pull", "--scope", "environment:perf", "--reason", "new env", "--allow-unknown-scope");
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(allowed.out()).contains("pulled freeze-1 on environment:perf");

        CliRun status = run("andon", "status", "--environment", "prdo");
        assertThat(status.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(status.err()).startsWith("release-line: --environment: 'prdo' is not an environment of the line")
                .contains("--allow-unknown-environment");
        assertThat(run("andon", "status", "--environment", "perf", "--allow-unknown-environment").exitCode())
                .as("frozen by the allowed freeze").isEqualTo(ExitCode.REFUSED);

        CliRun scope = run("andon", "pull", "--scope", "planet:mars", "--reason", "x");
        assertThat(scope.err()).startsWith("release-line: --scope: 'planet:mars' is not understood");
        CliRun stops = run("andon", "pull", "--reason", "x", "--stops", "everything");
        assertThat(stops.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(stops.err()).startsWith("release-line: --stops:");
        assertThat(json(0, "andon", "history")).hasSize(1);
    }

    @Test
    void readOnlyCommandsNameTheArgumentWithTheUnknownEnvironment() throws Exception {
        CliRun status = run("status", "--environment", "prdo");
        assertThat(status.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(status.err()).startsWith("release-line: --environment: 'prdo' is not an environment of the line;"
                + " the configured environments are integration, staging, prod");
        CliRun from = run("diff", "stagng", "prod");
        assertThat(from.err()).startsWith("release-line: FROM: 'stagng' is not an environment of the line");
        CliRun to = run("diff", "staging", "prdo");
        assertThat(to.err()).startsWith("release-line: TO: 'prdo' is not an environment of the line");
        CliRun rollback = run("rollback", "--environment", "prdo", "--artifact", "app", "--reason", "slow");
        assertThat(rollback.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(rollback.err()).startsWith("release-line: --environment: 'prdo' is not an environment of the line");
        CliRun promote = run("promote", "--to", "prdo", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A);
        assertThat(promote.err()).startsWith("release-line: --to: 'prdo' is not an environment of the line");
        assertThat(auditCount("promotion.request")).as("nothing recorded").isZero();
    }

    @Test
    void andonMessagesNameTheOptionAndTheFixAndChangeNothing() throws Exception {
        for (String id : new String[] {"freeze--1", "freeze-0", "0", "freeze-x1"}) {
            CliRun release = run("andon", "release", id);
            assertThat(release.exitCode()).as(id).isEqualTo(ExitCode.ERROR);
            assertThat(release.err()).as(id).startsWith("release-line: FREEZE: '" + id + "' is not a freeze id such as 12 or freeze-12")
                    .doesNotContain("does not exist");
        }
        CliRun negative = run("andon", "release", "-1");
        assertThat(negative.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(negative.err()).startsWith("release-line: FREEZE: '-1' is not a freeze id");

        for (String d : new String[] {"0s", "PT0S", "PT-5M"}) {
            CliRun zero = run("andon", "pull", "--reason", "x", "--for", d);
            assertThat(zero.exitCode()).as(d).isEqualTo(ExitCode.ERROR);
            assertThat(zero.err()).as(d).startsWith("release-line: --for: '" + d + "' is not a positive duration")
                    .contains("leave --for out").doesNotContain("expiresAt");
        }
        CliRun blank = run("andon", "pull", "--reason", "  ");
        assertThat(blank.err()).startsWith("release-line: --reason: must not be empty");
        assertThat(json(0, "andon", "history")).as("nothing was pulled").isEmpty();
    }

    @Test
    void auditListDatesAreCheckedAndNamed() throws Exception {
        CliRun bad = run("audit", "list", "--from", "notadate");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(bad.err()).startsWith("release-line: --from: 'notadate' is not an instant; write ISO-8601 such as 2026-11-01T00:00:00Z")
                .doesNotContain("DateTimeParseException");
        assertThat(run("audit", "list", "--to", "soon").err()).startsWith("release-line: --to: 'soon' is not an instant");
        assertThat(run("audit", "list", "--from", "2026-11-02", "--to", "2026-11-01").err())
                .startsWith("release-line: --to: 2026-11-01 is not after --from 2026-11-02");
        assertThat(run("audit", "list", "--limit", "0").err()).startsWith("release-line: --limit: 0 is outside");
        assertThat(run("audit", "list", "--scope", "planet:mars").err()).startsWith("release-line: --scope:");
        run("andon", "pull", "--reason", "x");
        assertThat(json(0, "audit", "list", "--from", "2000-01-01").get("records")).isNotEmpty();
    }

    @Test
    void unreadableFilesSayWhy() {
        CliRun router = run("canary", "--id", "x", "--plan", "10%/1m, 100%", "--router-file", folder.resolve("nope.properties").toString(),
                "--probe-stable", "http://127.0.0.1:1", "--probe-canary", "http://127.0.0.1:2");
        assertThat(router.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(router.err()).startsWith("release-line: --router-file: cannot read " + folder.resolve("nope.properties") + ": no such file;")
                .contains("give the path of a router properties file");
        CliRun folderAsFile = run("bluegreen", "--environment", "prod", "--router-file", folder.toString(), "--health", "blue=http://127.0.0.1:1");
        assertThat(folderAsFile.err()).contains("--router-file: cannot read " + folder + ": it is a folder;");

        CliRun password = CliRun.of("status", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/releaseline", "--db-user", "rl",
                "--db-password-file", folder.resolve("secret").toString());
        assertThat(password.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(password.err()).startsWith("release-line: --db-password-file: cannot read " + folder.resolve("secret") + ": no such file;")
                .contains("RELEASE_LINE_DB_PASSWORD");
    }

    @Test
    void approvalRefusalsExitTwoAndAQuorumMetTakesNoMore() throws Exception {
        requestProdAs("carol");
        CliRun self = run("approve", "1", "--as", "carol");
        assertThat(self.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(self.err()).startsWith("refused: approver: carol started the build of promotion 1");

        assertThat(run("approve", "1", "--as", "dave").exitCode()).isZero();
        CliRun again = run("approve", "1", "--as", "dave");
        assertThat(again.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(again.err()).startsWith("refused: approver: dave already approved promotion 1");

        CliRun more = run("approve", "1", "--as", "erin");
        assertThat(more.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(more.err()).startsWith("refused: approval: promotion 1 already has the 1 approval(s) prod requires (dave);"
                + " no more are needed");
        assertThat(auditCount("promotion.approve")).as("one approval, not \"2 of 1\"").isEqualTo(1);
    }

    @Test
    void badPromoteOptionsAreRefusedBeforeAnythingIsRecorded() throws Exception {
        CliRun failed = run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "integration", "--failed");
        assertThat(failed.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(failed.err()).startsWith("release-line: --failed: only with --finish ID");
        CliRun branch = run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "");
        assertThat(branch.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(branch.err()).startsWith("release-line: --branch: must not be empty; give a value or leave --branch out");
        CliRun digest = run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", "md5:abc");
        assertThat(digest.err()).startsWith("release-line: --digest:");
        CliRun poll = run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--poll", "0s");
        assertThat(poll.err()).startsWith("release-line: --poll: '0s' is not a positive duration");
        CliRun finishWithTo = run("promote", "--finish", "1", "--to", "integration");
        assertThat(finishWithTo.err()).startsWith("release-line: --to: not with --finish");
        assertThat(auditCount("promotion.request")).as("no promotion recorded").isZero();
        assertThat(json(0, "status").get("environments").get("integration")).isEmpty();
    }
}
