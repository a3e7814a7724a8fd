package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalRule;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A promotion that waits for an approval is durable state that any release-line process can answer: two real JVMs
 * share one H2 store file (one waits with {@code promote --wait}, the other approves), a killed waiter leaves a
 * promotion that {@code cancel} ends or {@code promote --resume} drives on, and {@code promote} without
 * {@code --wait} leaves it waiting instead of refusing it.
 */
class WaitingPromotionTest {

    static final String DIGEST = "sha256:" + "c".repeat(64);

    @TempDir
    Path folder;
    String store;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void storeWithAnApprovedProd() {
        store = folder.resolve("store").toString();
        CliRun init = CliRun.of("store", "init", "--store", store);
        assertThat(init.exitCode()).as(init.err()).isZero();
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** One environment, prod, needing one approval; {@code separate}: the requester may not approve. */
    private void configure(boolean separate) {
        try (Store s = Store.open(new StoreSettings("jdbc:h2:file:" + store + StoreOptions.H2_SHARED, null, null, "setup", 2))) {
            new PromotionEngine(s, new AuditTrail(s, Clock.systemUTC()), Clock.systemUTC(), null).configure(EnvironmentOrder.of(List.of(
                    Environment.first("prod", "*").withApprovals(ApprovalRule.of(1, Set.of(), Set.of(), separate)))), "setup");
        }
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store");
        all.add(store);
        return CliRun.of(all.toArray(String[]::new));
    }

    /** A release-line command in a JVM of its own, as the operating-system user {@code user}; output to a file. */
    private Process child(String user, Path output, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Duser.name=" + user,
                "-cp", System.getProperty("java.class.path"), ReleaseLine.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--store", store));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        started.add(p);
        return p;
    }

    private Process waitingPromote(String user, Path output, String version) throws IOException {
        List<String> args = new ArrayList<>(List.of("promote", "--to", "prod", "--artifact", "app", "--artifact-version", version,
                "--digest", DIGEST, "--branch", "main", "--wait", "--timeout", "10m", "--poll", "200ms"));
        return child(user, output, args.toArray(String[]::new));
    }

    private static String awaitOutput(Process p, Path output, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String seen = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
            if (seen.contains(text)) {
                return seen;
            }
            assertThat(p.isAlive()).as("the child ended before printing '" + text + "': " + seen).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within 60 s in " + Files.readString(output, StandardCharsets.UTF_8));
    }

    private static String finished(Process p, Path output) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child ends").isTrue();
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Test
    void aSecondProcessApprovesWhileTheFirstWaitsOnTheSameH2File() throws Exception {
        configure(true);
        Path waiterOut = folder.resolve("waiter.txt");
        Process waiter = waitingPromote("dave", waiterOut, "1.0");
        awaitOutput(waiter, waiterOut, "waiting (");

        Path approverOut = folder.resolve("approver.txt");
        Process approver = child("erin", approverOut, "approve", "1", "--comment", "ship it");
        String approved = finished(approver, approverOut);
        assertThat(approver.exitValue()).as(approved).isZero();
        assertThat(approved).contains("1 approval(s): erin");

        String waited = finished(waiter, waiterOut);
        assertThat(waiter.exitValue()).as(waited).isZero();
        assertThat(waited).contains("promotion 1: app 1.0", "is deployed in prod");
        assertThat(run("status", "--environment", "prod").out()).contains("app 1.0", "by dave");
    }

    @Test
    void aKilledWaiterLeavesAPromotionThatCancelEndsAndOneThatResumeDrivesOn() throws Exception {
        configure(true);
        Path firstOut = folder.resolve("first.txt");
        Process first = waitingPromote("dave", firstOut, "1.0");
        awaitOutput(first, firstOut, "waiting (");
        first.destroyForcibly();
        first.waitFor(30, TimeUnit.SECONDS);

        assertThat(run("status").out()).contains("waiting for approval: promotion 1");
        CliRun cancel = run("cancel", "1", "--reason", "the build was killed");
        assertThat(cancel.exitCode()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("promotion 1", "is cancelled");
        assertThat(run("status").out()).doesNotContain("waiting for approval");
        assertThat(driverPhases()).containsExactly("FAILED");
        assertThat(run("cancel", "1", "--reason", "again").err()).contains("already cancelled");

        Path secondOut = folder.resolve("second.txt");
        Process second = waitingPromote("dave", secondOut, "1.1");
        String printed = awaitOutput(second, secondOut, "waiting (");
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
        // H2 hands out ids in blocks: after a killed process the next id may jump; the command printed it
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("promotion (\\d+): app 1.1").matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        String id = m.group(1);

        Path resumedOut = folder.resolve("resumed.txt");
        Process resumed = child("dave", resumedOut, "promote", "--resume", id, "--wait", "--timeout", "10m", "--poll", "200ms");
        awaitOutput(resumed, resumedOut, "waiting (");
        CliRun approve = run("approve", id); // this JVM's user, not dave
        assertThat(approve.exitCode()).as(approve.err()).isZero();
        String done = finished(resumed, resumedOut);
        assertThat(resumed.exitValue()).as(done).isZero();
        assertThat(done).contains("is deployed in prod");
        assertThat(driverPhases()).containsExactlyInAnyOrder("FAILED", "DONE");
    }

    @Test
    void promoteWithoutWaitLeavesAPromotionWaitingForApprovalThenResumeDeploysIt() throws Exception {
        configure(false);
        CliRun left = run("promote", "--to", "prod", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST, "--branch", "main");
        assertThat(left.exitCode()).as(left.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(left.out()).contains("promotion 1 waits for approval and stays waiting", "release-line approve 1",
                "release-line promote --resume 1", "release-line cancel 1");
        assertThat(run("status").out()).contains("waiting for approval: promotion 1");

        CliRun early = run("promote", "--resume", "1");
        assertThat(early.exitCode()).as("still waiting for the approval").isEqualTo(ExitCode.REFUSED);
        assertThat(run("approve", "1").exitCode()).isZero();
        CliRun resumed = run("promote", "--resume", "1");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("is deployed in prod");
        assertThat(run("promote", "--resume", "1").err()).contains("promotion 1 is deployed; only a waiting promotion");
    }

    @Test
    void aRejectionEndsTheWaitingPromotion() throws Exception {
        configure(false);
        assertThat(run("promote", "--to", "prod", "--artifact", "app", "--artifact-version", "1.0", "--digest", DIGEST, "--branch", "main").exitCode())
                .isEqualTo(ExitCode.REFUSED);
        CliRun reject = run("reject", "1", "--comment", "not on a Friday");
        assertThat(reject.exitCode()).as(reject.err()).isZero();
        assertThat(run("status").out()).doesNotContain("waiting for approval");
        assertThat(driverPhases()).containsExactly("FAILED");
    }

    @Test
    void aSecondProcessNeverMigratesAFileAnotherProcessHasOpen() throws Exception {
        configure(true);
        Path waiterOut = folder.resolve("waiter.txt");
        Process waiter = waitingPromote("dave", waiterOut, "1.0");
        awaitOutput(waiter, waiterOut, "waiting (");
        // as if this command were newer than the file: a migration is pending while the other process has it open
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + store + StoreOptions.H2_SHARED);
             Statement s = c.createStatement()) {
            s.execute("DELETE FROM \"release_line_schema_history\" WHERE \"version\" = '3'");
            s.execute("DROP TABLE release_line_impersonation");
        }
        CliRun status = run("status");
        assertThat(status.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(status.err()).contains("is open in another process; it cannot be migrated now");
        assertThat(Path.of(store + ".migrating.mv.db")).doesNotExist();
        assertThat(waiter.isAlive()).isTrue();
    }

    private List<String> driverPhases() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + store + StoreOptions.H2_SHARED);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT phase FROM release_line_driver")) {
            List<String> phases = new ArrayList<>();
            while (rs.next()) {
                phases.add(rs.getString(1));
            }
            return phases;
        }
    }
}
