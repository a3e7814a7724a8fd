package io.jenkins.plugins.releaseline.engine.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Brings an H2 store file up to date so that a process killed at any moment leaves a file that opens.
 *
 * <p>H2 commits every {@code CREATE} by itself, so a migration killed half-way leaves some of its tables and no
 * record of it; the next run then fails on the first table that exists, Flyway records the migration as failed, and
 * the store no longer opens. Instead, when migrations are pending, they run on a copy of the file in the same folder,
 * which then replaces the store in one atomic rename: a kill leaves the old file or the new one, and at most a copy
 * that the next open deletes. The store must be closed while this runs (H2 lets one process open a file), which is
 * the case when it opens; a lock on the file keeps other processes out from the copy to the rename.
 *
 * <p>PostgreSQL runs DDL inside a transaction: Flyway rolls a killed migration back, so this is for H2 files only.
 */
public final class H2Migration {

    private static final Logger LOGGER = Logger.getLogger(H2Migration.class.getName());
    static final String SUFFIX = ".mv.db";
    static final String COPY = ".migrating";

    private static final java.util.concurrent.ConcurrentMap<Path, Object> TURNS = new java.util.concurrent.ConcurrentHashMap<>();

    private H2Migration() {}

    /** Migrates the H2 file the settings name, if they name one and something is pending; otherwise does nothing. */
    public static void migrateBeforeOpen(StoreSettings settings) {
        if (settings.dialect() != Dialect.H2) {
            return;
        }
        Path base = fileOf(settings.jdbcUrl());
        if (base == null) {
            return; // in memory or a server: nothing to swap
        }
        String params = paramsOf(settings.jdbcUrl());
        // Stores of one JVM opening the same file at once (several engines in tests) take turns: one migrates, the
        // others then find nothing pending.
        Object turn = TURNS.computeIfAbsent(base.toAbsolutePath().normalize(), k -> new Object());
        try {
            synchronized (turn) {
                migrate(base, params);
            }
        } catch (IOException e) {
            throw new StoreException("Could not bring the Release Line schema of " + base + SUFFIX + " up to date: " + e, e);
        } catch (SQLException | FlywayException e) {
            throw new StoreException("Could not bring the Release Line schema of " + base + SUFFIX + " up to date: " + e.getMessage(), e);
        }
    }

    private static void migrate(Path base, String params) throws IOException, SQLException {
        Path live = Path.of(base + SUFFIX);
        Path copyBase = Path.of(base + COPY);
        Path copy = Path.of(copyBase + SUFFIX);
        if (!Files.exists(live)) {
            deleteCopy(copyBase); // what a process killed while it created the store left
            Files.createDirectories(live.toAbsolutePath().getParent());
            runFlyway(copyBase, params);
            install(copy, live);
            return;
        }
        requireH2File(live);
        if (!pending(base, params)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(live, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // Open in this JVM by a store opened earlier (H2 holds its lock): it cannot be swapped under that
                // store, so Store's own migrate step applies what is pending in place, as it always did.
                LOGGER.warning(() -> live + " is open in this JVM; its pending migrations run in place");
                return;
            }
            if (lock == null) {
                throw new StoreException("The store file " + live + " is open in another process; it cannot be migrated now.");
            }
            // Only under the lock: a copy here may be another process's migration under way until then.
            deleteCopy(copyBase);
            // Copied through the locked channel: on POSIX, closing any other descriptor of the file would drop the lock.
            try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long size = channel.size();
                for (long at = 0; at < size; ) {
                    at += channel.transferTo(at, size - at, out);
                }
            }
            LOGGER.info(() -> "Migrating a copy of " + live + " before replacing it");
            runFlyway(copyBase, params);
            install(copy, live);
        }
    }

    /**
     * True when the file has migrations to apply. Flyway closes its connections when it is done, which closes the
     * database unless a store of this JVM has it open (no {@code SHUTDOWN} here: that would close that store's too).
     */
    private static boolean pending(Path base, String params) {
        JdbcDataSource ds = dataSource(base, params + ";IFEXISTS=TRUE");
        return flyway(ds).info().pending().length > 0;
    }

    private static void runFlyway(Path copyBase, String params) throws SQLException {
        JdbcDataSource ds = dataSource(copyBase, params);
        try {
            flyway(ds).migrate();
        } finally {
            shutdown(ds);
        }
    }

    /** The same migrations and history table as {@link Store}'s own migrate step, which then finds nothing to do. */
    private static Flyway flyway(DataSource ds) {
        return Flyway.configure(H2Migration.class.getClassLoader())
                .dataSource(ds)
                .locations(Store.MIGRATIONS)
                .table(Store.HISTORY_TABLE)
                .baselineOnMigrate(false)
                .outOfOrder(true)
                .load();
    }

    private static JdbcDataSource dataSource(Path base, String params) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + base.toAbsolutePath() + params);
        return ds;
    }

    /** Closes the database (H2 keeps it open while a connection is), writing everything to the file. */
    private static void shutdown(JdbcDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            if (e.getErrorCode() != 90146) { // the file is gone or never came to be: nothing open
                throw e;
            }
        }
    }

    /** Flushes the migrated copy to the disk, renames it over the store in one step, then flushes the folder. */
    private static void install(Path copy, Path live) throws IOException {
        try (FileChannel c = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        try {
            Files.move(copy, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + live + " cannot rename atomically", e);
        }
        AtomicFile.syncFolder(live.toAbsolutePath().getParent());
    }

    private static void deleteCopy(Path copyBase) throws IOException {
        for (String suffix : new String[] {SUFFIX, ".trace.db", ".lock.db"}) {
            Files.deleteIfExists(Path.of(copyBase + suffix));
        }
    }

    /**
     * Refuses a file that is not an H2 2.x store before H2 is asked to open it (which would take the pool's whole
     * connection time-out to fail). Its first block is a text header of {@code key:value} pairs with {@code H:2}; an
     * encrypted store starts with {@code H2encrypt}.
     */
    public static void requireH2File(Path file) throws IOException {
        byte[] head = new byte[256];
        int n;
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(head);
            n = 0;
            while (buffer.hasRemaining()) {
                int r = c.read(buffer);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        boolean h2 = text.startsWith("H2encrypt")
                || line.startsWith("H:2,") || line.contains(",H:2,") || line.endsWith(",H:2");
        if (!h2) {
            throw new StoreException("The file " + file + " is not an H2 store (" + (n == 0 ? "it is empty" : "it does not start with H2's header")
                    + "); check the path, or move the file away.");
        }
    }

    /** The file path of an H2 URL without {@code .mv.db}, or null for an in-memory or a server URL. */
    static Path fileOf(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:h2:".length());
        int semicolon = rest.indexOf(';');
        String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (lower.matches("^[a-z0-9]{2,}:.*")) {
            return null; // mem:, tcp:, ssl:, zip:, nio...:
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return name.isEmpty() ? null : Path.of(name);
    }

    static String paramsOf(String jdbcUrl) {
        int semicolon = jdbcUrl.indexOf(';');
        return semicolon < 0 ? "" : jdbcUrl.substring(semicolon);
    }
}
