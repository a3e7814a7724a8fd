package io.jenkins.plugins.releaseline.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A child JVM appends audit records in a loop and is killed with SIGKILL at random moments, 50 times per
 * database. After each kill the store opens, the chain verifies, and every record whose append had returned
 * (the child printed its ACK) is there with its contents.
 */
class AuditDurabilityTest {

    static final int KILLS = Integer.getInteger("releaseline.durability.kills", 50);

    @TempDir
    static Path folder;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("H2"), Arguments.of("PostgreSQL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void acknowledgedAppendsSurviveSigkill(String database) throws Exception {
        StoreTarget target = database.equals("H2") ? StoreTarget.h2(folder.resolve("h2")) : StoreTarget.postgres();
        Random random = new Random(20261125L + database.hashCode());
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        List<Long> killedAfter = new ArrayList<>();

        for (int run = 0; run < KILLS; run++) {
            Process child = new ProcessBuilder(javaCommand(target, run)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            CountDownLatch ready = new CountDownLatch(1);
            CountDownLatch firstAck = new CountDownLatch(1);
            Thread reader = new Thread(() -> readAcks(child, acknowledged, ready, firstAck));
            reader.start();
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("child %d opened the store", run).isTrue();
            // Kill at a random moment: sometimes before the first append returns, mostly while appending.
            if (random.nextInt(5) > 0) {
                assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("child %d appended", run).isTrue();
            }
            Thread.sleep(random.nextInt(250));
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            killedAfter.add((long) acknowledged.size());

            try (Store store = target.open("checker")) {
                AuditTrail audit = new AuditTrail(store, Clock.systemUTC());
                VerificationReport report = audit.verify();
                assertThat(report.intact()).as("after kill %d: %s", run, report).isTrue();
                assertThat(report.recordsChecked()).as("after kill %d", run).isGreaterThanOrEqualTo(acknowledged.size());
                Map<Long, String> stored = new ConcurrentHashMap<>();
                AuditQuery q = AuditQuery.all(AuditQuery.MAX_LIMIT);
                while (true) {
                    AuditPage page = audit.query(q);
                    page.records().forEach(r -> stored.put(r.seq(), r.reason()));
                    if (page.next().isEmpty()) {
                        break;
                    }
                    q = q.after(page.next().getAsLong());
                }
                for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
                    assertThat(stored.get(ack.getKey())).as("acknowledged record %d after kill %d", ack.getKey(), run)
                            .isEqualTo(ack.getValue());
                }
            }
        }
        assertThat(acknowledged.size()).as("appends acknowledged over %d kills", KILLS).isGreaterThan(KILLS);
        System.out.printf("%s: %d kills, %d acknowledged appends, all present, chain intact%n", database, KILLS, acknowledged.size());
    }

    private static void readAcks(Process child, Map<Long, String> acknowledged, CountDownLatch ready, CountDownLatch firstAck) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("READY")) {
                    ready.countDown();
                } else if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ", 3);
                    acknowledged.put(Long.parseLong(parts[1]), parts[2]);
                    firstAck.countDown();
                }
            }
        } catch (Exception e) {
            // the pipe breaks when the child is killed: what was read is what was acknowledged
        }
    }

    private static List<String> javaCommand(StoreTarget target, int run) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                AppendUntilKilled.class.getName(), target.jdbcUrl(), target.username() == null ? "" : target.username(),
                Integer.toString(run));
    }
}
