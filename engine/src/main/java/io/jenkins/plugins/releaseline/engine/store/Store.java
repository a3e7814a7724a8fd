package io.jenkins.plugins.releaseline.engine.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The engine's durable state: one schema on H2 (file) or PostgreSQL (shared by several controllers).
 * Migrations run when the store opens; every state change goes through {@link #inTransaction}.
 */
public final class Store implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(Store.class.getName());

    /** Flyway's history table, named so that it never collides with another tool's on a shared database. */
    public static final String HISTORY_TABLE = "release_line_schema_history";
    static final String MIGRATIONS = "classpath:io/jenkins/plugins/releaseline/engine/store/migration";

    /** SQL states worth another try: serialization failure, deadlock (PostgreSQL); lock timeout (H2). */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "HYT00");
    private static final int MAX_ATTEMPTS = 8;

    /**
     * H2's commit hands the new data to a background writer and returns before it is on file, so a process
     * killed right after a commit can lose it; a plain {@code CHECKPOINT} still lost one now and then under load
     * ({@code AuditDurabilityTest}). {@code CHECKPOINT SYNC} after each committed change writes it and forces it
     * to the disk before the caller is told it is done. PostgreSQL's commit already waits for its log flush.
     */
    static final String H2_DURABLE_COMMIT = "CHECKPOINT SYNC";

    /**
     * How long a caller waits for a pooled connection, and how long the pool waits for a connection's check,
     * before giving up: a dead database answers within seconds instead of Hikari's default 30.
     */
    static final long CONNECTION_TIMEOUT_MILLIS = 2_000;
    static final long VALIDATION_TIMEOUT_MILLIS = 1_000;
    /** PostgreSQL: seconds for the TCP connect, for connect plus login, and for any one read from the server. */
    static final int PG_CONNECT_TIMEOUT_SECONDS = 2;
    static final int PG_LOGIN_TIMEOUT_SECONDS = 3;
    /** Every statement of the store is short (docs/benchmarks.md); a read stuck this long is a dead server. */
    static final int PG_SOCKET_TIMEOUT_SECONDS = 10;
    /** H2 over TCP: milliseconds for any one read from the server (its connect timeout is 2 s already). */
    static final int H2_NETWORK_TIMEOUT_MILLIS = 10_000;

    private final StoreSettings settings;
    private volatile HikariDataSource dataSource;
    private boolean closed;
    private final String durableCommit;
    private final StoreAvailability availability;

    private Store(StoreSettings settings, HikariDataSource dataSource, StoreAvailability availability) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.durableCommit = settings.dialect() == Dialect.H2 ? H2_DURABLE_COMMIT : null;
        this.availability = availability;
    }

    /**
     * Opens the pool and brings the schema up to date. Safe when several controllers start at once against
     * one PostgreSQL database: Flyway serialises them on an advisory lock, and a re-run applies nothing.
     */
    public static Store open(StoreSettings settings) {
        return open(settings, new StoreAvailability(Clock.systemUTC()));
    }

    /**
     * Opens the store under {@code availability}'s breaker: while the database is known to be down and it is
     * not yet time to try again, fails at once with "Release Line store unavailable since T: error";
     * otherwise one attempt, bounded by the connect timeouts above. The open store keeps using the breaker.
     *
     * @throws StoreUnavailableException if the database cannot be reached, refuses the login, or the schema
     *     cannot be brought up to date (the message says which)
     */
    public static Store open(StoreSettings settings, StoreAvailability availability) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(availability, "availability");
        return availability.attemptToOpen(() -> {
            H2Migration.migrateBeforeOpen(settings); // an H2 file is migrated on a copy, so that a kill cannot break it
            HikariDataSource ds = dataSource(settings);
            try {
                migrate(ds);
            } catch (RuntimeException e) {
                ds.close();
                throw e;
            }
            return new Store(settings, ds, availability);
        });
    }

    private static HikariDataSource dataSource(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("release-line-" + settings.controllerId());
        config.setJdbcUrl(jdbcUrlWithDefaults(settings));
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setValidationTimeout(VALIDATION_TIMEOUT_MILLIS);
        // One connection attempt when the pool starts, failing the open at once if the database is not there.
        config.setInitializationFailTimeout(1);
        // The drivers are in this jar's class loader, which in Jenkins is not the context class loader.
        config.setDriverClassName(settings.dialect() == Dialect.H2 ? "org.h2.Driver" : "org.postgresql.Driver");
        return new HikariDataSource(config);
    }

    static String jdbcUrlWithDefaults(StoreSettings settings) {
        String url = settings.jdbcUrl();
        if (settings.dialect() != Dialect.H2) {
            return postgresUrlWithTimeouts(url);
        }
        String upper = url.toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(url);
        if ((upper.startsWith("JDBC:H2:TCP:") || upper.startsWith("JDBC:H2:SSL:")) && !upper.contains("NETWORK_TIMEOUT")) {
            sb.append(";NETWORK_TIMEOUT=").append(H2_NETWORK_TIMEOUT_MILLIS);
        }
        // No background delay before a commit is written; with CHECKPOINT SYNC after each change (see
        // inTransaction), an acknowledged change survives the process being killed; see docs/durability.md.
        if (!upper.contains("WRITE_DELAY")) {
            sb.append(";WRITE_DELAY=0");
        }
        // Several writers queue on the audit chain's head row; wait for it rather than fail fast.
        if (!upper.contains("LOCK_TIMEOUT")) {
            sb.append(";LOCK_TIMEOUT=10000");
        }
        // A page cache of 64 MiB instead of H2's 16: a fold of the telemetry facts of a million ledger records reads
        // some 30 MiB of pages, which the default cache keeps evicting (docs/benchmarks.md, telemetry).
        if (!upper.contains("CACHE_SIZE")) {
            sb.append(";CACHE_SIZE=65536");
        }
        return sb.toString();
    }

    /** Adds the connect, login and read timeouts the URL does not set itself. */
    private static String postgresUrlWithTimeouts(String url) {
        StringBuilder sb = new StringBuilder(url);
        String lower = url.toLowerCase(Locale.ROOT);
        char sep = url.indexOf('?') < 0 ? '?' : '&';
        String[][] defaults = {
            {"connecttimeout", "connectTimeout", Integer.toString(PG_CONNECT_TIMEOUT_SECONDS)},
            {"logintimeout", "loginTimeout", Integer.toString(PG_LOGIN_TIMEOUT_SECONDS)},
            {"sockettimeout", "socketTimeout", Integer.toString(PG_SOCKET_TIMEOUT_SECONDS)},
        };
        for (String[] d : defaults) {
            if (!lower.contains(d[0] + "=")) {
                sb.append(sep).append(d[1]).append('=').append(d[2]);
                sep = '&';
            }
        }
        return sb.toString();
    }

    private static void migrate(DataSource ds) {
        try {
            Flyway.configure(Store.class.getClassLoader())
                    .dataSource(ds)
                    .locations(MIGRATIONS)
                    .table(HISTORY_TABLE)
                    .baselineOnMigrate(false)
                    // Each capability owns a range of versions (docs/architecture.md); they may land in any order.
                    .outOfOrder(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("Could not bring the Release Line schema up to date: " + e.getMessage(), e);
        }
    }

    public StoreSettings settings() {
        return settings;
    }

    public Dialect dialect() {
        return settings.dialect();
    }

    public String controllerId() {
        return settings.controllerId();
    }

    /** Whether the database can be reached now, since when it cannot, and the last error. */
    public StoreAvailability availability() {
        return availability;
    }

    /** For read-only queries that need no transaction of their own; writes go through {@link #inTransaction}. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. Transient
     * conflicts (deadlock, serialization failure, lock timeout) are retried with a short random backoff,
     * so {@code work} must not have effects outside the connection.
     */
    public <T> T inTransaction(TransactionWork<T> work) {
        return availability.attempt(() -> transaction(work), this::reconnect);
    }

    private <T> T transaction(TransactionWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                try {
                    T result = work.run(c);
                    c.commit();
                    if (durableCommit != null) {
                        try (Statement s = c.createStatement()) {
                            s.execute(durableCommit);
                        }
                    }
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && isTransient(e)) {
                    LOGGER.log(Level.FINE, "Retrying a transaction after a transient conflict", e);
                    backoff(attempt);
                    continue;
                }
                throw new StoreException("Store transaction failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Runs a read on a pooled connection; nothing it does is committed.
     *
     * @throws StoreUnavailableException at once while the database is known to be down
     */
    public <T> T read(TransactionWork<T> work) {
        return availability.attempt(() -> readOnly(work), this::reconnect);
    }

    private <T> T readOnly(TransactionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            T result;
            try {
                result = work.run(c);
            } catch (SQLException | RuntimeException e) {
                // the read's own error says why (a lost connection, say), not the clean-up's after it
                rollbackQuietly(c, e);
                throw e;
            }
            c.rollback();
            c.setReadOnly(false);
            return result;
        } catch (SQLException e) {
            throw new StoreException("Store read failed: " + e.getMessage(), e);
        }
    }

    /**
     * The retry while the database is down: a pool that has seen its database go away retries on its own
     * with a backoff of up to 5 s (Hikari's), so a database that came back would wait for it. A fresh pool
     * connects at once, or fails at once (bounded by the connect timeouts); on success it replaces the old
     * one, which is closed in the background (closing waits for its connections).
     */
    private void reconnect() {
        HikariDataSource fresh = dataSource(settings);
        HikariDataSource old;
        synchronized (this) {
            if (closed) {
                fresh.close();
                throw new StoreException("The Release Line store is closed");
            }
            old = dataSource;
            dataSource = fresh;
        }
        Thread closer = new Thread(() -> {
            try {
                old.close();
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "The replaced connection pool did not close cleanly", e);
            }
        }, "release-line-store-close-" + settings.controllerId());
        closer.setDaemon(true);
        closer.start();
    }

    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && TRANSIENT_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while retrying a transaction", e);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        dataSource.close();
    }

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
