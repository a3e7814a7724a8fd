package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Each command against an H2 store in a temp folder: what it prints, its JSON, its exit code. */
class CommandsTest {

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

    private static JsonNode json(CliRun run) throws Exception {
        return JSON.readTree(run.out());
    }

    @Test
    void andonPullStatusReleaseAndHistory() throws Exception {
        CliRun pull = run("andon", "pull", "--scope", "environment:prod", "--reason", "payments down", "--as", "alice");
        assertThat(pull.exitCode()).as(pull.err()).isZero();
        assertThat(pull.out()).contains("pulled freeze-1 on environment:prod", "payments down");

        CliRun frozen = run("andon", "status", "--environment", "prod");
        assertThat(frozen.exitCode()).as("a frozen deployment is refused").isEqualTo(ExitCode.REFUSED);
        assertThat(frozen.out()).contains("FROZEN", "freeze-1", "pulled by alice");

        CliRun other = run("andon", "status", "--environment", "staging", "-o", "json");
        assertThat(other.exitCode()).isZero();
        JsonNode doc = json(other);
        assertThat(doc.get("lineStopped").asBoolean()).isTrue();
        assertThat(doc.get("allowed").asBoolean()).isTrue();

        CliRun release = run("andon", "release", "freeze-1", "--note", "fixed", "--as", "bob");
        assertThat(release.exitCode()).as(release.err()).isZero();
        assertThat(release.out()).contains("released freeze-1", "the line runs");

        CliRun history = run("andon", "history", "-o", "json");
        JsonNode freezes = json(history);
        assertThat(freezes).hasSize(1);
        assertThat(freezes.get(0).get("pulledBy").asText()).isEqualTo("alice");
        assertThat(freezes.get(0).get("releasedBy").asText()).isEqualTo("bob");

        CliRun audit = run("audit", "list", "--scope", "freeze:freeze-1");
        assertThat(audit.out()).contains("alice", "andon.pull", "bob", "andon.release");
    }

    @Test
    void andonBadInputNamesTheField() {
        CliRun scope = run("andon", "pull", "--scope", "planet:mars", "--reason", "x");
        assertThat(scope.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(scope.err()).startsWith("release-line: --scope");

        CliRun id = run("andon", "release", "twelve");
        assertThat(id.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(id.err()).contains("FREEZE: 'twelve' is not a freeze id");

        CliRun noReason = run("andon", "pull");
        assertThat(noReason.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(noReason.err()).contains("--reason");
    }

    @Test
    void promoteRecordsTheDeploymentAndPrintsEveryVerdict() throws Exception {
        CliRun ok = run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "integration", "--as", "carol");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("PASS  previous environment", "PASS  branch", "app 1.0", "is deployed in integration");

        CliRun status = run("status", "-o", "json");
        JsonNode env = json(status).get("environments");
        assertThat(env.get("integration").get(0).get("artifact").get("version").asText()).isEqualTo("1.0");
        assertThat(env.get("integration").get(0).get("by").asText()).isEqualTo("carol");
        assertThat(env.get("prod")).isEmpty();

        CliRun text = run("status");
        assertThat(text.out()).contains("integration:", "app 1.0", "prod: (nothing deployed)");

        CliRun diff = run("diff", "integration", "staging");
        assertThat(diff.exitCode()).isZero();
        assertThat(diff.out()).contains("app", "1.0", "differs");

        CliRun audit = run("audit", "list", "-o", "json");
        // who ran the test acted as carol: the audit trail names both
        assertThat(json(audit).get("records").findValuesAsText("principal")).contains(System.getProperty("user.name") + " as carol");
    }

    @Test
    void aRefusingGateExitsWithTwoAndTheReasons() throws Exception {
        CliRun branch = run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "feature/x");
        assertThat(branch.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(branch.out()).contains("FAIL  branch");
        assertThat(branch.err()).startsWith("refused: promotion 1 to integration").contains("branch");

        CliRun prod = run("promote", "--to", "staging", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "main", "-o", "json");
        assertThat(prod.exitCode()).isEqualTo(ExitCode.REFUSED);
        JsonNode doc = json(prod);
        assertThat(doc.get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(doc.get("promotion").get("status").asText()).isEqualTo("REFUSED");
        assertThat(doc.get("verdicts").findValuesAsText("gate")).contains("previous environment", "freeze", "soak time");
    }

    @Test
    void waitingGatesAreWaitedForWithTheTimeLeftThenGiveUpWithTwo() {
        assertThat(run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "integration").exitCode()).isZero();
        assertThat(run("andon", "pull", "--scope", "environment:staging", "--reason", "db migration").exitCode()).isZero();
        CliRun waited = run("promote", "--to", "staging", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "main", "--wait", "--timeout", "2s", "--poll", "500ms");
        assertThat(waited.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(waited.out()).contains("WAIT  freeze", "left before giving up");
        assertThat(waited.err()).contains("still waits after 2s", "staging is frozen");
    }

    @Test
    void startOnlyThenFinishAndRollback() throws Exception {
        assertThat(run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--branch", "integration").exitCode()).isZero();
        CliRun started = run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.1", "--digest", DIGEST_B,
                "--branch", "integration", "--start-only");
        assertThat(started.out()).contains("is deploying", "--finish 2");
        CliRun finished = run("promote", "--finish", "2");
        assertThat(finished.exitCode()).as(finished.err()).isZero();
        assertThat(finished.out()).contains("app 1.1", "DEPLOYED");

        CliRun rollback = run("rollback", "--environment", "integration", "--artifact", "app", "--reason", "1.1 is slow", "-o", "json");
        assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        assertThat(json(rollback).get("promotion").get("artifact").get("version").asText()).isEqualTo("1.0");
        assertThat(run("status", "--environment", "integration").out()).contains("app 1.0", "a rollback");
    }

    @Test
    void approveCountsAnotherPersonAndRefusesTheRequester() throws Exception {
        try (io.jenkins.plugins.releaseline.engine.store.Store s = io.jenkins.plugins.releaseline.engine.store.Store.open(
                io.jenkins.plugins.releaseline.engine.store.StoreSettings.h2File(Path.of(store), "jenkins-a"))) {
            io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine engine = new io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine(
                    s, new io.jenkins.plugins.releaseline.engine.audit.AuditTrail(s, java.time.Clock.systemUTC()), java.time.Clock.systemUTC(), null);
            engine.request(new io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest("prod",
                    io.jenkins.plugins.releaseline.engine.promotion.Artifact.of("app", "1.0", DIGEST_A), "release/1.0", "app/main", null, "carol"));
        }
        assertThat(run("status").out()).contains("waiting for approval: promotion 1 app 1.0", "to prod (1 more needed)");

        CliRun self = run("approve", "1", "--as", "carol");
        assertThat(self.exitCode()).as("a refusal by the approval rule").isEqualTo(ExitCode.REFUSED);
        assertThat(self.err()).startsWith("refused: approver: carol started the build");

        CliRun other = run("approve", "1", "--as", "dave", "--comment", "looks good", "-o", "json");
        assertThat(other.exitCode()).as(other.err()).isZero();
        assertThat(json(other).get(0).get("approver").asText()).isEqualTo("dave");
        assertThat(run("audit", "list", "-o", "json").out()).contains("promotion.approve", "dave");
    }

    @Test
    void promoteBadInputNamesTheField() {
        CliRun digest = run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", "md5:abc");
        assertThat(digest.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(digest.err()).startsWith("release-line: --digest");

        CliRun missing = run("promote", "--to", "integration", "--artifact", "app");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(missing.err()).contains("--artifact-version: required");

        CliRun env = run("promote", "--to", "moon", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A);
        assertThat(env.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(env.err()).contains("moon");

        CliRun timeout = run("promote", "--to", "integration", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST_A,
                "--timeout", "soon");
        assertThat(timeout.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(timeout.err()).contains("--timeout: 'soon' is not a duration");
    }

    @Test
    void togglesSetListKillAndExport() throws Exception {
        CliRun set = run("toggles", "set", "new-checkout", "--environment", "prod", "--percent", "10", "--create", "--reason", "start",
                "--as", "dana");
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out()).contains("new-checkout in prod: 10% on");

        CliRun list = run("toggles", "list", "-o", "json");
        JsonNode prod = json(list).get(0).get("settings").get("prod");
        assertThat(prod.get("enabled").asBoolean()).isTrue();
        assertThat(prod.get("rollout").get("percentage").asInt()).isEqualTo(10);

        CliRun export = run("toggles", "export", "--environment", "prod");
        assertThat(export.exitCode()).isZero();
        JsonNode flags = JSON.readTree(export.out());
        assertThat(flags.get("flags").has("new-checkout")).isTrue();

        Path file = folder.resolve("flags/prod.flagd.json");
        assertThat(run("toggles", "export", "--environment", "prod", "--file", file.toString()).out()).contains("wrote");
        assertThat(Files.readString(file)).contains("new-checkout");

        CliRun kill = run("toggles", "kill", "new-checkout", "--environment", "prod", "--reason", "checkout errors");
        assertThat(kill.exitCode()).isZero();
        assertThat(run("toggles", "list").out()).contains("new-checkout", "KILLED");
        assertThat(run("audit", "list", "--scope", "toggle:new-checkout", "--nested").out()).contains("dana", "toggle.kill");
    }

    @Test
    void togglesBadInputNamesTheField() {
        run("toggles", "set", "t", "--environment", "prod", "--on", "--create");
        CliRun percent = run("toggles", "set", "t", "--environment", "prod", "--percent", "150");
        assertThat(percent.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(percent.err()).contains("percentage: 150 is outside 0..100");

        CliRun nothing = run("toggles", "set", "t", "--environment", "prod");
        assertThat(nothing.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(nothing.err()).contains("--on, --off or --percent");

        CliRun both = run("toggles", "set", "t", "--environment", "prod", "--on", "--off");
        assertThat(both.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(both.err()).contains("mutually exclusive");

        CliRun kill = run("toggles", "kill", "t", "--environment", "prod");
        assertThat(kill.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(kill.err()).contains("--reason");

        CliRun env = run("toggles", "export", "--environment", "mars");
        assertThat(env.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(env.err()).contains("environment: 'mars'");
    }

    @Test
    void rolloutBadInputNamesTheField() {
        CliRun plan = run("canary", "--id", "x", "--plan", "ten percent", "--haproxy", "/nonexistent.sock");
        assertThat(plan.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(plan.err()).contains("plan");

        CliRun router = run("canary", "--id", "x", "--plan", "10%/1m, 100%", "--probe-stable", "http://127.0.0.1:1",
                "--probe-canary", "http://127.0.0.1:2");
        assertThat(router.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(router.err()).contains("router: give --haproxy");

        CliRun probes = run("canary", "--id", "x", "--plan", "10%/1m, 100%", "--haproxy", "/nonexistent.sock");
        assertThat(probes.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(probes.err()).contains("probes:");

        CliRun health = run("bluegreen", "--environment", "prod", "--haproxy", "/nonexistent.sock");
        assertThat(health.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(health.err()).contains("--health");
    }

    @Test
    void routerFileIsReadAndItsMistakesNamed() throws Exception {
        Path file = folder.resolve("router.properties");
        Files.writeString(file, "type=haproxy\nsocket=/run/x.sock\nbackend=web\nservers=a,b\nweight=3\n");
        CliRun bad = run("canary", "--id", "x", "--plan", "10%/1m, 100%", "--router-file", file.toString(),
                "--probe-stable", "http://127.0.0.1:1", "--probe-canary", "http://127.0.0.1:2");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(bad.err()).contains("router file: weight: unknown key");

        Files.writeString(file, "type=envoy\n");
        CliRun type = run("bluegreen", "--environment", "prod", "--router-file", file.toString(), "--health", "blue=http://127.0.0.1:1");
        assertThat(type.err()).contains("router file: type: 'envoy' is not haproxy or nginx");
    }

    @Test
    void everyCommandHasHelp() {
        List<String[]> commands = new ArrayList<>();
        walk(new CommandLine(new ReleaseLine()), new ArrayList<>(), commands);
        assertThat(commands).extracting(c -> String.join(" ", c)).contains("andon pull", "promote", "approve", "status", "diff",
                "rollback", "canary", "bluegreen", "toggles set", "toggles export", "audit verify", "rehearsal");
        for (String[] path : commands) {
            List<String> args = new ArrayList<>(List.of(path));
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).startsWith("Usage: release-line" + (path.length == 0 ? "" : " " + String.join(" ", path)));
        }
        // a lone % in a command's text makes picocli print it unformatted (and warn on stderr): it must be written %%
        List<String> texts = new ArrayList<>();
        describe(new CommandLine(new ReleaseLine()), texts);
        assertThat(texts).as("help texts with an unescaped %").noneMatch(t -> t.replace("%%", "").replace("%n", "").contains("%"));
        assertThat(CliRun.of("--help").out()).contains("Exit codes:", "2   refused by a gate or a freeze");
    }

    private static void describe(CommandLine cmd, List<String> out) {
        CommandLine.Model.CommandSpec spec = cmd.getCommandSpec();
        out.addAll(List.of(spec.usageMessage().description()));
        out.addAll(List.of(spec.usageMessage().exitCodeListHeading()));
        // (an option's description comes back from the model with %% already turned into %, so only commands are read)
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                describe(sub, out);
            }
        });
    }

    private static void walk(CommandLine cmd, List<String> path, List<String[]> out) {
        out.add(path.toArray(String[]::new));
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                walk(sub, next, out);
            }
        });
    }
}
