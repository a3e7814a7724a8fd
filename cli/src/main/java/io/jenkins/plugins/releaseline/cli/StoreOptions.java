package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which store to open: the H2 file of a single controller (while its Jenkins is stopped), or the PostgreSQL
 * database that controllers share. The password never comes from the command line, where other users of the
 * machine could read it: it comes from an environment variable or a file.
 */
public final class StoreOptions {

    static final String PASSWORD_VARIABLE = "RELEASE_LINE_DB_PASSWORD";

    @Option(names = "--store", paramLabel = "FILE",
            description = "H2 store file, without .mv.db (default: $JENKINS_HOME/release-line/store). It must exist; "
                    + "'release-line store init' creates one.")
    String h2File;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "A shared store instead: jdbc:postgresql://host:port/database.")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user for --jdbc-url.")
    String user;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "File holding the database password (default: the environment variable " + PASSWORD_VARIABLE + ").")
    Path passwordFile;

    @Option(names = "--controller-id", paramLabel = "ID", defaultValue = "cli",
            description = "Name written on shared rows (default: ${DEFAULT-VALUE}).")
    String controllerId;

    Map<String, String> environment = System.getenv();

    /** Set by {@code store init} only: every other command refuses an H2 file that is not there. */
    boolean create;

    StoreSettings settings() {
        if (jdbcUrl != null && h2File != null) {
            throw new IllegalArgumentException("--store and --jdbc-url: give one of them, not both");
        }
        if (jdbcUrl != null) {
            return StoreSettings.of(jdbcUrl, user, password(), controllerId);
        }
        StoreSettings file = StoreSettings.h2File(h2Path(), controllerId);
        return new StoreSettings(file.jdbcUrl() + H2_SHARED, null, null, file.controllerId(), file.maxPoolSize());
    }

    /**
     * H2's automatic mixed mode: the first release-line process to open the file opens it in place and serves it
     * on a random port of this machine (written, with a random key, into {@code store.lock.db}); the others connect
     * to that process, so a waiting {@code promote --wait} and an {@code approve} in another terminal share one
     * file. When the serving process ends, a remaining one takes over. Jenkins does not open its file this way: while
     * it runs, the file stays its own (docs/cli.md).
     */
    static final String H2_SHARED = ";AUTO_SERVER=TRUE";

    static {
        // The serving process listens on loopback only (H2 reads this once, when its first class loads), so the
        // store is never offered to other machines; set -Dh2.bindAddress to override.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /**
     * Opens the store. An H2 file must already be there (unless this is {@code store init}): a mistyped path would
     * otherwise become a new, empty store, and a freeze pulled there would hold nothing. A file that is not an H2
     * store is refused at once by the engine, which reads its header before opening it.
     */
    Store open() {
        StoreSettings settings = settings();
        if (jdbcUrl == null && !create) {
            Path file = Path.of(h2Path() + ".mv.db");
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("--store: there is no store at " + file + " (" + whereFrom()
                        + "). Check the path; to create a new store there: release-line store init --store " + h2Path());
            }
        }
        return Store.open(settings);
    }

    Engines engines() {
        return new Engines(open(), java.time.Clock.systemUTC());
    }

    /** The H2 file without {@code .mv.db}, absolute: what the messages name. */
    Path h2Path() {
        if (h2File != null) {
            if (h2File.isBlank()) {
                throw new IllegalArgumentException("--store: empty; give the path of the H2 store file, without .mv.db");
            }
            return Path.of(h2File).toAbsolutePath().normalize();
        }
        Path home = defaultH2File();
        if (home == null) {
            throw new IllegalArgumentException("--store: not given, and JENKINS_HOME is not set to find the store of a controller; "
                    + "give --store FILE (without .mv.db) or --jdbc-url URL");
        }
        return home.toAbsolutePath().normalize();
    }

    /** $JENKINS_HOME/release-line/store, or null without JENKINS_HOME (never a path under whatever folder this runs in). */
    Path defaultH2File() {
        String home = environment.get("JENKINS_HOME");
        return home != null && !home.isBlank() ? Path.of(home, "release-line", "store") : null;
    }

    private String whereFrom() {
        return h2File != null ? "from --store" : "the default under JENKINS_HOME=" + environment.get("JENKINS_HOME");
    }

    private String password() {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("--db-password-file: cannot read " + passwordFile + ": "
                        + (Files.isDirectory(passwordFile) ? "it is a folder" : CliInputs.why(e))
                        + "; give a file whose first line is the password, or set " + PASSWORD_VARIABLE);
            }
        }
        return environment.get(PASSWORD_VARIABLE);
    }

    /** A user's sentence for a failure to open or use the store. */
    static String explain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 90020) {
                return "the store file is open in another process that does not share it (is Jenkins running?). Stop it "
                        + "first, or use the shared store with --jdbc-url.";
            }
            if (t instanceof java.net.ConnectException) {
                return "cannot reach the database: " + t.getMessage();
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
