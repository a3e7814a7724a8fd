package io.jenkins.plugins.releaseline.engine.testing;

import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.nio.file.Path;

/**
 * One fresh database for a contract test, on H2 (a file in a temporary folder) or on the test PostgreSQL
 * server (a database of its own). {@link #open(String)} may be called several times: each call is one more
 * engine instance, as a second controller sharing the database would be.
 */
public record StoreTarget(String name, String jdbcUrl, String username, String password) {

    public static StoreTarget h2(Path folder) {
        return new StoreTarget("H2", "jdbc:h2:file:" + folder.resolve("store").toAbsolutePath(), null, null);
    }

    public static StoreTarget postgres() {
        PostgresServer server = PostgresServer.shared();
        return new StoreTarget("PostgreSQL", server.createDatabase("release_line"), "postgres", "");
    }

    public StoreSettings settings(String controllerId) {
        return new StoreSettings(jdbcUrl, username, password, controllerId, StoreSettings.DEFAULT_POOL_SIZE);
    }

    public Store open(String controllerId) {
        return Store.open(settings(controllerId));
    }

    public Store open() {
        return open("controller-a");
    }

    @Override
    public String toString() {
        return name;
    }
}
