package io.jenkins.plugins.releaseline.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) at any moment while it opens an H2 store, fresh or at an older schema, leaves a store
 * that the next open brings fully up to date. Each kill lands at a random moment of the child's open, on a store of
 * its own.
 */
class H2MigrationKillTest {

    private static final long SEED = Long.getLong("h2kill.seed", System.nanoTime());

    @TempDir Path folder;

    @Test
    void aKillDuringTheFirstOpenLeavesAStoreThatOpens() throws Exception {
        killAndReopen("fresh", 20, null);
    }

    @Test
    void aKillDuringAnUpgradeLeavesAStoreThatOpens() throws Exception {
        killAndReopen("upgrade", 15, "10");
    }

    @Test
    void aStoreAtAnOlderVersionIsUpgradedAndKeepsItsRows() throws Exception {
        Path base = folder.resolve("old/store");
        Files.createDirectories(base.getParent());
        migrateUpTo(base, "10");
        StoreSettings settings = StoreSettings.h2File(base, "test");
        try (Store store = Store.open(settings)) {
            assertFullyMigrated(store);
        }
        assertThat(folder.resolve("old")).isDirectoryNotContaining("glob:**" + H2Migration.COPY + "*");
    }

    private void killAndReopen(String name, int kills, String startAt) throws Exception {
        Random random = new Random(SEED);
        long openMillis = timeOneOpen(folder.resolve(name + "-timing/store"), startAt);
        List<String> report = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            Path base = folder.resolve(name + "-" + i + "/store");
            Files.createDirectories(base.getParent());
            if (startAt != null) {
                migrateUpTo(base, startAt);
            }
            long delay = (long) (random.nextDouble() * openMillis);
            Process child = child(base).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line = lines.readLine(); // "opening": the JVM is up, Store.open starts now
                assertThat(line).as("child's first line (seed %d)", SEED).isEqualTo("opening");
                Thread.sleep(delay);
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            } finally {
                child.destroyForcibly();
            }
            report.add(delay + "ms");
            try (Store store = Store.open(StoreSettings.h2File(base, "test"))) {
                assertFullyMigrated(store);
            } catch (RuntimeException e) {
                throw new AssertionError("the store killed after " + delay + " ms of an open of about " + openMillis
                        + " ms does not open (seed " + SEED + ", kills so far " + report + ")", e);
            }
        }
    }

    /** How long the child takes from its "opening" line to its exit, so that the kills spread over it. */
    private long timeOneOpen(Path base, String startAt) throws Exception {
        Files.createDirectories(base.getParent());
        if (startAt != null) {
            migrateUpTo(base, startAt);
        }
        Process child = child(base).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("opening");
            long start = System.nanoTime();
            assertThat(lines.readLine()).isEqualTo("open");
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return Math.max(50, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            child.destroyForcibly();
        }
    }

    private static ProcessBuilder child(Path base) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Opener.class.getName(), base.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    static void migrateUpTo(Path base, String target) {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + base.toAbsolutePath());
        Flyway.configure(Store.class.getClassLoader()).dataSource(ds).locations(Store.MIGRATIONS).table(Store.HISTORY_TABLE)
                .outOfOrder(true).target(target).load().migrate();
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    static void assertFullyMigrated(Store store) {
        Flyway flyway = Flyway.configure(Store.class.getClassLoader()).dataSource(store.dataSource()).locations(Store.MIGRATIONS)
                .table(Store.HISTORY_TABLE).outOfOrder(true).load();
        MigrationInfo[] all = flyway.info().all();
        assertThat(all).isNotEmpty();
        assertThat(all).allSatisfy(m -> assertThat(m.getState()).as(m.getVersion() + " " + m.getDescription())
                .isIn(MigrationState.SUCCESS, MigrationState.OUT_OF_ORDER));
        assertThat(flyway.info().pending()).isEmpty();
    }

    /** The child: says it is about to open the store, opens it, says so, exits. */
    public static final class Opener {
        public static void main(String[] args) {
            System.out.println("opening");
            System.out.flush();
            try (Store store = Store.open(StoreSettings.h2File(Path.of(args[0]), "child"))) {
                System.out.println("open");
            }
        }
    }
}
