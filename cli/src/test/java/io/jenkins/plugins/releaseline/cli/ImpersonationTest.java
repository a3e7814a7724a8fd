package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalRule;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who acts is who is connected (on H2 the operating-system user, {@code user.name}); {@code --as} someone else
 * needs the impersonation grant, which only the store file's owner gives, and the audit trail then names both.
 */
class ImpersonationTest {

    static final String DIGEST = "sha256:" + "d".repeat(64);
    static final String OWNER = System.getProperty("user.name"); // who runs the tests owns the store file

    @TempDir
    Path folder;
    String store;

    @BeforeEach
    void aPromotionOfDaveWaitsForCarolsApproval() {
        store = folder.resolve("store").toString();
        assertThat(CliRun.of("store", "init", "--store", store).exitCode()).isZero();
        try (Store s = Store.open(new StoreSettings("jdbc:h2:file:" + store + StoreOptions.H2_SHARED, null, null, "setup", 2))) {
            PromotionEngine engine = new PromotionEngine(s, new AuditTrail(s, Clock.systemUTC()), Clock.systemUTC(), null);
            engine.configure(EnvironmentOrder.of(List.of(Environment.first("prod", "*")
                    .withApprovals(ApprovalRule.of(1, Set.of("carol"), Set.of(), true)))), "setup");
            engine.request(new PromotionRequest("prod", Artifact.of("app", "1.0", DIGEST), "main", "app/main", null, "dave"));
        }
    }

    /** One command run with the system property user.name set to {@code user}, as if that person ran it. */
    private CliRun as(String user, String... args) {
        return withUser(user, () -> {
            List<String> all = new ArrayList<>(List.of(args));
            all.add("--store");
            all.add(store);
            return CliRun.of(all.toArray(String[]::new));
        });
    }

    private static synchronized <T> T withUser(String user, Supplier<T> work) {
        String before = System.getProperty("user.name");
        System.setProperty("user.name", user);
        try {
            return work.get();
        } finally {
            System.setProperty("user.name", before);
        }
    }

    @Test
    void bobCannotApproveAsCarolWithoutAGrant() throws Exception {
        CliRun forged = as("bob", "approve", "1", "--as", "carol");
        assertThat(forged.exitCode()).as(forged.out()).isEqualTo(ExitCode.REFUSED);
        assertThat(forged.err()).contains("--as carol: you are connected as bob", "store grant-impersonation bob");
        assertThat(as("bob", "status").out()).contains("waiting for approval: promotion 1");

        CliRun himself = as("bob", "approve", "1");
        assertThat(himself.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(himself.err()).contains("approver: bob may not approve promotions to prod");

        CliRun selfGrant = as("bob", "store", "grant-impersonation", "bob");
        assertThat(selfGrant.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(selfGrant.err()).contains("bob does not own this store", "(" + OWNER + ")");
        assertThat(audit()).noneMatch(r -> r.get("action").asText().equals("promotion.approve"));
    }

    @Test
    void withAGrantBobApprovesAsCarolAndTheAuditTrailNamesBoth() throws Exception {
        CliRun grant = as(OWNER, "store", "grant-impersonation", "bob", "--reason", "on call this week");
        assertThat(grant.exitCode()).as(grant.err()).isZero();
        assertThat(grant.out()).contains("bob may act in others' names");

        CliRun approve = as("bob", "approve", "1", "--as", "carol", "-o", "json");
        assertThat(approve.exitCode()).as(approve.err()).isZero();
        assertThat(new ObjectMapper().readTree(approve.out()).get(0).get("approver").asText()).isEqualTo("carol");

        List<JsonNode> records = audit();
        assertThat(records).anyMatch(r -> r.get("action").asText().equals("promotion.approve")
                && r.get("principal").asText().equals("bob as carol"));
        assertThat(records).anyMatch(r -> r.get("action").asText().equals("store.impersonation.grant")
                && r.get("principal").asText().equals(OWNER) && r.get("reason").asText().contains("bob"));
        assertThat(as(OWNER, "audit", "verify").exitCode()).as("the chain stays valid").isZero();

        assertThat(as(OWNER, "store", "revoke-impersonation", "bob").exitCode()).isZero();
        assertThat(as("bob", "status", "--as", "carol").exitCode()).isEqualTo(ExitCode.REFUSED);
    }

    private List<JsonNode> audit() throws Exception {
        CliRun list = as(OWNER, "audit", "list", "--limit", "100", "-o", "json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(list.out());
        JsonNode records = doc.isArray() ? doc : doc.get("records");
        List<JsonNode> all = new ArrayList<>();
        records.forEach(all::add);
        return all;
    }
}
