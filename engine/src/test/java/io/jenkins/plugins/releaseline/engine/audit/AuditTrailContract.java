package io.jenkins.plugins.releaseline.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit trail's behaviour, run against each database the store supports. */
abstract class AuditTrailContract {

    static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    StoreTarget target;
    Store store;
    TestClock clock;
    AuditTrail audit;

    abstract StoreTarget newTarget() throws Exception;

    @BeforeEach
    void open() throws Exception {
        target = newTarget();
        store = target.open("controller-a");
        clock = new TestClock(T0);
        audit = new AuditTrail(store, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void appendedRecordReadsBackWithEveryField() {
        AuditEvent event = new AuditEvent("andon.pull", AuditScope.parse("environment:prod"),
                "Payments down — INC-42\nsee the incident", "{\"frozen\":false}", "{\"frozen\":true}");
        AuditRecord written = audit.append("alice", event);

        AuditRecord read = audit.latest(AuditScope.parse("environment:prod")).orElseThrow();
        assertThat(read).isEqualTo(written);
        assertThat(read.seq()).isEqualTo(1);
        assertThat(read.at()).isEqualTo(T0);
        assertThat(read.principal()).isEqualTo("alice");
        assertThat(read.controllerId()).isEqualTo("controller-a");
        assertThat(read.reason()).isEqualTo("Payments down — INC-42\nsee the incident");
        assertThat(read.before()).isEqualTo("{\"frozen\":false}");
        assertThat(read.after()).isEqualTo("{\"frozen\":true}");
        assertThat(read.previousHash()).isEqualTo("0".repeat(64));
        assertThat(read.hash()).isEqualTo(read.expectedHash()).hasSize(64);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void latestIsTheNewestRecordOfExactlyThatScope() {
        audit.append("alice", AuditEvent.of("toggle.set", AuditScope.parse("toggle:a"), "first"));
        audit.append("bob", AuditEvent.of("toggle.set", AuditScope.parse("toggle:ab"), "other toggle"));
        audit.append("carol", AuditEvent.of("toggle.set", AuditScope.parse("toggle:a"), "second"));

        assertThat(audit.latest(AuditScope.parse("toggle:a")).orElseThrow().reason()).isEqualTo("second");
        assertThat(audit.latest(AuditScope.parse("toggle:zzz"))).isEmpty();
    }

    @Test
    void emptyChainVerifies() {
        VerificationReport report = audit.verify();
        assertThat(report.intact()).isTrue();
        assertThat(report.recordsChecked()).isZero();
    }

    @Test
    void verifyNamesAnEditedRecord() throws Exception {
        appendMany(5);
        sql("UPDATE release_line_audit SET reason = 'nothing to see' WHERE seq = 3");

        VerificationReport report = audit.verify();
        assertThat(report.intact()).isFalse();
        assertThat(report.firstBadSeq()).isEqualTo(3);
        assertThat(report.problem()).contains("edited");
    }

    @Test
    void verifyNamesADeletedRecord() throws Exception {
        appendMany(5);
        sql("DELETE FROM release_line_audit WHERE seq = 2");

        VerificationReport report = audit.verify();
        assertThat(report.intact()).isFalse();
        assertThat(report.firstBadSeq()).isEqualTo(2);
        assertThat(report.problem()).contains("missing");
    }

    @Test
    void verifyNamesRecordsDeletedFromTheEnd() throws Exception {
        appendMany(5);
        sql("DELETE FROM release_line_audit WHERE seq >= 4");

        VerificationReport report = audit.verify();
        assertThat(report.intact()).isFalse();
        assertThat(report.firstBadSeq()).isEqualTo(4);
    }

    @Test
    void verifyNamesARecordReplacedWithAFreshlyHashedForgery() throws Exception {
        appendMany(5);
        AuditRecord original = audit.query(AuditQuery.all(10)).records().get(2);
        // A forger who knows the hash function rewrites record 3 consistently; record 4 no longer links to it.
        String forgedHash = ChainHash.of(3, AuditTrail.toMicros(original.at()), original.controllerId(), "mallory",
                original.action(), original.scope(), "innocent", null, null, original.previousHash());
        store.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE release_line_audit SET principal = 'mallory', reason = 'innocent', hash = ? WHERE seq = 3")) {
                p.setString(1, forgedHash);
                return p.executeUpdate();
            }
        });

        VerificationReport report = audit.verify();
        assertThat(report.intact()).isFalse();
        assertThat(report.firstBadSeq()).isEqualTo(4);
        assertThat(report.problem()).contains("does not link");
    }

    @Test
    void verifyNamesARecordInsertedBeyondTheHead() throws Exception {
        appendMany(3);
        sql("INSERT INTO release_line_audit (seq, recorded_at_micros, controller_id, principal, action, scope, reason, "
                + "state_before, state_after, prev_hash, hash) SELECT 4, recorded_at_micros, controller_id, 'mallory', action, "
                + "scope, reason, state_before, state_after, hash, hash FROM release_line_audit WHERE seq = 3");

        VerificationReport report = audit.verify();
        assertThat(report.intact()).isFalse();
        assertThat(report.firstBadSeq()).isEqualTo(4);
        assertThat(report.problem()).contains("beyond");
    }

    @Test
    void badInputIsRefusedWithTheFieldNamedAndNothingWritten() {
        AuditEvent ok = AuditEvent.of("andon.pull", AuditScope.GLOBAL, "why");
        assertThatThrownBy(() -> audit.append(null, ok)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("principal:");
        assertThatThrownBy(() -> audit.append("  ", ok)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("principal:");
        assertThatThrownBy(() -> audit.append("al\u0007ice", ok)).hasMessageStartingWith("principal:").hasMessageContaining("U+0007");
        assertThatThrownBy(() -> AuditEvent.of("andon.pull", AuditScope.GLOBAL, "x".repeat(2_001)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reason:").hasMessageContaining("2000");
        assertThatThrownBy(() -> AuditEvent.of("andon.pull", AuditScope.GLOBAL, "bell\u0007"))
                .hasMessageStartingWith("reason:");
        assertThatThrownBy(() -> AuditScope.parse("planet:mars")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("scope:").hasMessageContaining("unknown kind 'planet'").hasMessageContaining("environment");
        assertThatThrownBy(() -> AuditScope.parse("")).hasMessageStartingWith("scope:");
        assertThatThrownBy(() -> AuditEvent.of("Drop Table", AuditScope.GLOBAL, null)).hasMessageStartingWith("action:");

        assertThat(audit.size()).isZero();
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aRolledBackChangeLeavesNoRecord() {
        audit.append("alice", AuditEvent.of("config.set", AuditScope.GLOBAL, "kept"));
        assertThatThrownBy(() -> store.inTransaction(c -> {
            audit.append(c, "alice", AuditEvent.of("config.set", AuditScope.GLOBAL, "rolled back"));
            throw new IllegalStateException("the change itself failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(audit.size()).isEqualTo(1);
        assertThat(audit.latest(AuditScope.GLOBAL).orElseThrow().reason()).isEqualTo("kept");
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void queriesByTimeRangeAndScopeArePaged() {
        for (int i = 0; i < 25; i++) {
            String job = i % 2 == 0 ? "job:team-a/app-" + i : "job:team-b/app-" + i;
            audit.append("alice", AuditEvent.of("andon.check", AuditScope.parse(job), "n" + i));
            clock.advance(Duration.ofMinutes(1));
        }
        audit.append("alice", AuditEvent.of("andon.check", AuditScope.parse("job:team-a"), "the folder itself"));
        audit.append("alice", AuditEvent.of("andon.check", AuditScope.parse("job:team-ab"), "a sibling, not nested"));

        List<AuditRecord> teamA = new ArrayList<>();
        AuditQuery q = AuditQuery.all(5).in(AuditScope.parse("job:team-a"), true);
        int pages = 0;
        while (true) {
            AuditPage page = audit.query(q);
            pages++;
            teamA.addAll(page.records());
            if (page.next().isEmpty()) {
                break;
            }
            q = q.after(page.next().getAsLong());
        }
        assertThat(pages).isEqualTo(3);
        assertThat(teamA).hasSize(14).extracting(AuditRecord::scope)
                .allMatch(s -> s.equals("job:team-a") || s.startsWith("job:team-a/"));

        AuditPage window = audit.query(AuditQuery.all(100).between(T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(15))));
        assertThat(window.records()).extracting(AuditRecord::reason).containsExactly("n10", "n11", "n12", "n13", "n14");

        assertThat(audit.recent(null, false, 2)).extracting(AuditRecord::reason)
                .containsExactly("a sibling, not nested", "the folder itself");
    }

    @Test
    void concurrentAppendersNeverLoseOrForkARecord() throws Exception {
        int threads = 8;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        seqs.add(audit.append("thread-" + id, AuditEvent.of("toggle.set", AuditScope.parse("toggle:t" + id), "i" + i)).seq());
                    }
                    return seqs;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get());
            }
            assertThat(all).hasSize(threads * each);
        } finally {
            pool.shutdownNow();
        }
        assertThat(audit.size()).isEqualTo(threads * each);
        VerificationReport report = audit.verify();
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.recordsChecked()).isEqualTo(threads * each);
    }

    @Test
    void twoEngineInstancesOnOneDatabaseShareOneChain() throws Exception {
        try (Store second = target.open("controller-b")) {
            AuditTrail other = new AuditTrail(second, clock);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Void>> work = new ArrayList<>();
                for (AuditTrail trail : List.of(audit, other, audit, other)) {
                    work.add(() -> {
                        for (int i = 0; i < 50; i++) {
                            trail.append("ops", AuditEvent.of("andon.pull", AuditScope.GLOBAL, "i" + i));
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(work)) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(other.size()).isEqualTo(200);
            assertThat(other.verify().intact()).isTrue();
            List<AuditRecord> records = new ArrayList<>(audit.query(AuditQuery.all(1_000)).records());
            assertThat(records).extracting(AuditRecord::controllerId).containsOnly("controller-a", "controller-b");
            assertThat(records.stream().filter(r -> r.controllerId().equals("controller-b")).count()).isEqualTo(100);
        }
    }

    @Test
    void aBatchContinuesTheChainAndVerifies() {
        appendMany(2);
        List<AuditEvent> batch = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            batch.add(AuditEvent.of("toggle.set", AuditScope.parse("toggle:t" + (i % 7)), "batch " + i));
        }
        List<AuditRecord> written = audit.appendAll("importer", batch);
        audit.append("alice", AuditEvent.of("andon.release", AuditScope.GLOBAL, "after the batch"));

        assertThat(written).hasSize(2_500);
        assertThat(written.get(0).seq()).isEqualTo(3);
        assertThat(audit.size()).isEqualTo(2_503);
        VerificationReport report = audit.verify();
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.recordsChecked()).isEqualTo(2_503);
        assertThat(audit.latest(AuditScope.parse("toggle:t6")).orElseThrow().reason()).isEqualTo("batch 2498");
    }

    @Test
    void aBatchWithABadEventWritesNothing() {
        assertThatThrownBy(() -> audit.appendAll("", List.of(AuditEvent.of("toggle.set", AuditScope.GLOBAL, "x"))))
                .hasMessageStartingWith("principal:");
        assertThat(audit.size()).isZero();
    }

    void appendMany(int n) {
        for (int i = 1; i <= n; i++) {
            audit.append("alice", AuditEvent.of("andon.pull", AuditScope.parse("environment:prod"), "reason " + i));
            clock.advance(Duration.ofSeconds(1));
        }
    }

    void sql(String statement) {
        store.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate(statement);
            }
        });
    }

    static int countRows(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
