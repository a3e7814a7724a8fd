package io.jenkins.plugins.releaseline.engine.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store lives and who is writing to it.
 *
 * @param jdbcUrl      {@code jdbc:h2:file:...} (one controller) or {@code jdbc:postgresql://...} (shared)
 * @param username     database user, may be {@code null} for H2
 * @param password     database password, may be {@code null}
 * @param controllerId names this controller on shared rows, so that records written by several controllers
 *                     sharing one PostgreSQL database say where they came from
 * @param maxPoolSize  connections kept open; small, the store does short transactions
 */
public record StoreSettings(String jdbcUrl, String username, String password, String controllerId, int maxPoolSize) {

    public static final int DEFAULT_POOL_SIZE = 5;

    public StoreSettings {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("jdbcUrl: must not be empty; use jdbc:h2:file:<path> or jdbc:postgresql://<host>:<port>/<database>");
        }
        if (Dialect.of(jdbcUrl) == null) {
            throw new IllegalArgumentException("jdbcUrl: '" + jdbcUrl + "' is neither H2 nor PostgreSQL; use jdbc:h2:file:<path> or jdbc:postgresql://<host>:<port>/<database>");
        }
        controllerId = Inputs.requireName("controllerId", controllerId == null || controllerId.isBlank() ? "default" : controllerId, 100);
        if (maxPoolSize < 1 || maxPoolSize > 100) {
            throw new IllegalArgumentException("maxPoolSize: " + maxPoolSize + " is outside 1..100");
        }
    }

    /** The embedded default: an H2 database in the given file (without the {@code .mv.db} suffix). */
    public static StoreSettings h2File(Path file, String controllerId) {
        Objects.requireNonNull(file, "file");
        return new StoreSettings("jdbc:h2:file:" + file.toAbsolutePath(), null, null, controllerId, DEFAULT_POOL_SIZE);
    }

    public static StoreSettings of(String jdbcUrl, String username, String password, String controllerId) {
        return new StoreSettings(jdbcUrl, username, password, controllerId, DEFAULT_POOL_SIZE);
    }

    public Dialect dialect() {
        return Dialect.of(jdbcUrl);
    }

    @Override
    public String toString() {
        // never print the password
        return "StoreSettings[" + jdbcUrl + ", user=" + username + ", controller=" + controllerId + "]";
    }
}
