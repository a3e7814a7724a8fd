package io.jenkins.plugins.releaseline.engine.testing;

import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from the machine's packages, started once per test JVM on 127.0.0.1 and a free
 * port in a temporary folder, stopped when the JVM exits. Each test class takes a database of its own.
 * As root (CI), the server runs as the {@code postgres} user, because initdb and postgres refuse root.
 */
public final class PostgresServer {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final int port;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** The JVM's server, started at the first call. Fails, with how to install it, where PostgreSQL is absent. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "stop-test-postgresql"));
        }
        return shared;
    }

    /**
     * A server of the caller's own, for a test that stops and starts it ({@link #pause()}, {@link #resume()});
     * the caller stops it for good with {@link #close()}.
     */
    public static PostgresServer startPrivate() {
        return start();
    }

    /** Stops the server (connections are cut); {@link #resume()} starts it again on the same port. */
    public void pause() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"), isRoot());
        } catch (IOException e) {
            throw new IllegalStateException("Could not stop PostgreSQL: " + e.getMessage(), e);
        }
    }

    public void resume() {
        try {
            startIn(bin, dir, port, isRoot());
        } catch (IOException e) {
            throw new IllegalStateException("Could not start PostgreSQL again: " + e.getMessage(), e);
        }
    }

    /** Stops a server of {@link #startPrivate()} and deletes its files. */
    public void close() {
        stop();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public int port() {
        return port;
    }

    /** A new, empty database; returns its JDBC URL. */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet()).toLowerCase();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    public StoreSettings settings(String jdbcUrl, String controllerId) {
        return StoreSettings.of(jdbcUrl, "postgres", "", controllerId);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static PostgresServer start() {
        Path bin = findBinaries();
        try {
            Path dir = Files.createTempDirectory("release-line-postgres-");
            int port = Ports.free();
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
            }
            run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"), root);
            startIn(bin, dir, port, root);
            return new PostgresServer(bin, dir, port);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start PostgreSQL for the tests: " + e.getMessage(), e);
        }
    }

    private static void startIn(Path bin, Path dir, int port, boolean root) throws IOException {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c max_connections=200", "start"), root);
        } catch (RuntimeException e) {
            killPostmaster(dir.resolve("data")); // pg_ctl gave up waiting: the server may be running all the same
            throw e;
        }
    }

    private void stop() {
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), root);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
            killPostmaster(dir.resolve("data"));
        }
    }

    /** pg_ctl could not stop it: kill the postmaster named in its pid file and every process under it. */
    static void killPostmaster(Path data) {
        try {
            Path pidFile = data.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid).ifPresent(master -> {
                List<ProcessHandle> children = master.descendants().toList();
                master.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                master.onExit().join();
                children.forEach(c -> c.onExit().join());
            });
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not kill the test PostgreSQL of " + data + ": " + e.getMessage());
        }
    }

    private static Path findBinaries() {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                var found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException e) {
                throw new IllegalStateException("Could not list " + base, e);
            }
        }
        throw new IllegalStateException("PostgreSQL server is not installed, so the PostgreSQL store tests cannot run. "
                + "Install it with `apt-get update && apt-get install -y postgresql` (bin/test does this for you), then run the tests again.");
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> full = asPostgres
                ? List.of("su", "postgres", "-s", "/bin/bash", "-c", String.join(" ", command.stream().map(PostgresServer::quote).toList()))
                : command;
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
