package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalRule;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** On PostgreSQL the acting person is the database role: one role per person, and --as needs the grant. */
class PostgresImpersonationTest {

    @Test
    void theRoleActsAndAsSomeoneElseNeedsTheGrant() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.createDatabase("cli_impersonation");
        String suffix = "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
        String bob = "bob" + suffix;
        String carol = "carol" + suffix;
        assertThat(CliRun.of("store", "init", "--jdbc-url", url, "--db-user", "postgres").exitCode()).isZero();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            for (String role : List.of(bob, carol)) {
                s.execute("CREATE ROLE " + role + " LOGIN");
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
                s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + role);
            }
        }
        try (Store s = Store.open(pg.settings(url, "setup"))) {
            PromotionEngine engine = new PromotionEngine(s, new AuditTrail(s, Clock.systemUTC()), Clock.systemUTC(), null);
            engine.configure(EnvironmentOrder.of(List.of(Environment.first("prod", "*")
                    .withApprovals(ApprovalRule.of(1, Set.of(carol), Set.of(), true)))), "setup");
            engine.request(new PromotionRequest("prod", Artifact.of("app", "1.0", "sha256:" + "e".repeat(64)), "main", "app/main", null, "dave"));
        }

        CliRun forged = run(url, bob, "approve", "1", "--as", carol);
        assertThat(forged.exitCode()).as(forged.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(forged.err()).contains("--as " + carol + ": you are connected as " + bob + " (the PostgreSQL role)");
        assertThat(run(url, bob, "store", "grant-impersonation", bob).err()).contains(bob + " does not own this store");

        CliRun grant = run(url, "postgres", "store", "grant-impersonation", bob);
        assertThat(grant.exitCode()).as(grant.err()).isZero();
        CliRun approve = run(url, bob, "approve", "1", "--as", carol);
        assertThat(approve.exitCode()).as(approve.err()).isZero();
        CliRun audit = CliRun.of("audit", "list", "--jdbc-url", url, "--db-user", "postgres");
        assertThat(audit.out()).contains(bob + " as " + carol, "promotion.approve");
    }

    private static CliRun run(String url, String role, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--jdbc-url", url, "--db-user", role));
        return CliRun.of(all.toArray(String[]::new));
    }
}
