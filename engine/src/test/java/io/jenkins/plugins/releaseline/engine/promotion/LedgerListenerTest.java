package io.jenkins.plugins.releaseline.engine.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ledger listener hears every record in the transaction that appends it: what it writes commits or rolls back with it. */
class LedgerListenerTest {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final String A = "sha256:" + "a".repeat(64);

    @TempDir
    Path folder;

    Store store;
    TestClock clock;
    final List<String> heard = new ArrayList<>();
    volatile LedgerKind failOn;

    @BeforeEach
    void open() {
        store = StoreTarget.h2(folder).open("controller-a");
        clock = new TestClock(T0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private PromotionEngine engine() {
        PromotionEngine engine = new PromotionEngine(store, new AuditTrail(store, clock), clock, null, (c, eventId, p, kind, at) -> {
            if (kind == failOn) {
                throw new SQLException("the listener could not write its fact");
            }
            // the record is visible on this connection, in this transaction
            try (PreparedStatement q = c.prepareStatement("SELECT kind FROM release_line_promotion_event WHERE id = ?")) {
                q.setLong(1, eventId);
                try (ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    heard.add(rs.getString(1) + " " + p.environment() + " " + p.artifact().digest().value().substring(0, 8)
                            + " " + at);
                }
            }
        });
        engine.configure(EnvironmentOrder.of(List.of(Environment.first("staging"))), "admin");
        return engine;
    }

    private Promotion request(PromotionEngine engine) {
        return engine.request(new PromotionRequest("staging", Artifact.of("app", "1.0", A), "main", "team/app/main",
                "https://ci.example/job/app/1/", "ci"));
    }

    @Test
    void everyRecordIsHeardOnTheConnectionThatAppendsIt() {
        PromotionEngine engine = engine();
        Promotion p = request(engine);
        assertThat(engine.begin(p.id(), false, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);
        engine.finish(p.id(), true, "ci", "deployed");

        assertThat(heard).containsExactly(
                "REQUESTED staging sha256:a " + T0, "STARTED staging sha256:a " + T0, "DEPLOYED staging sha256:a " + T0);
    }

    @Test
    void aListenerThatFailsTakesTheRecordBackWithIt() {
        PromotionEngine engine = engine();
        Promotion p = request(engine);
        engine.begin(p.id(), false, "ci");
        failOn = LedgerKind.DEPLOYED;

        assertThatThrownBy(() -> engine.finish(p.id(), true, "ci", "deployed")).isInstanceOf(RuntimeException.class);

        assertThat(engine.promotion(p.id()).status()).isEqualTo(PromotionStatus.DEPLOYING);
        assertThat(engine.entries(p.id())).extracting(LedgerEntry::kind)
                .containsExactlyInAnyOrder(LedgerKind.REQUESTED, LedgerKind.STARTED);
    }
}
