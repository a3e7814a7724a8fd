package io.jenkins.plugins.releaseline.benchmarks.audit;

import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import io.jenkins.plugins.releaseline.engine.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Stores for the audit benchmarks, on H2 in a temporary folder or on a PostgreSQL server on loopback. */
final class AuditData {

    static final int SCOPES = 10_000;
    // Held so that the levels stick: the pool and the migrations log at INFO on every open.
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.flywaydb"), java.util.logging.Logger.getLogger("com.zaxxer.hikari"));

    static {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
    }

    private AuditData() {}

    static Store open(String database) throws IOException {
        if (database.equals("h2")) {
            Path dir = Files.createTempDirectory("release-line-bench-");
            return Store.open(StoreSettings.h2File(dir.resolve("store"), "bench"));
        }
        PostgresServer pg = PostgresServer.shared();
        return Store.open(pg.settings(pg.createDatabase("bench"), "bench"));
    }

    /** Fills the chain with {@code n} records spread over {@link #SCOPES} job scopes, in large batches. */
    static void fill(AuditTrail audit, int n) {
        int batch = 20_000;
        for (int done = 0; done < n; done += batch) {
            List<AuditEvent> events = new ArrayList<>(batch);
            for (int i = done; i < Math.min(n, done + batch); i++) {
                events.add(new AuditEvent("andon.check", scope(i % SCOPES), "record " + i, null, "{\"i\":" + i + "}"));
            }
            audit.appendAll("bench", events);
        }
    }

    static AuditScope scope(int i) {
        return AuditScope.of(AuditScope.Kind.JOB, "team-" + (i % 50) + "/app-" + i);
    }
}
