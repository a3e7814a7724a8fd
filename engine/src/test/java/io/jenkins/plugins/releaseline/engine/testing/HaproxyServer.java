package io.jenkins.plugins.releaseline.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HAProxy from the machine's packages ({@code /usr/sbin/haproxy}) on 127.0.0.1, with a config generated
 * in a temporary folder: a frontend on a free port sending to one backend of named servers (e.g. {@code blue}
 * and {@code green}) with their initial weights, the Runtime API on a UNIX socket ({@code level admin}) and,
 * when asked, on a TCP port too, and a stats frontend whose {@code /metrics} is HAProxy's Prometheus exporter.
 * Runs in the foreground as a child of the test JVM; {@link #kill()} ends it with SIGKILL, as a crash would.
 */
public final class HaproxyServer implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/haproxy";

    private final Builder settings;
    private final Path dir;
    private final int frontendPort;
    private final int statsPort;
    private final int adminTcpPort;
    private Process process;

    private HaproxyServer(Builder b) throws IOException {
        this.settings = b;
        this.dir = Files.createTempDirectory("release-line-haproxy-");
        this.frontendPort = Ports.free();
        this.statsPort = Ports.free();
        this.adminTcpPort = b.tcpAdmin ? Ports.free() : -1;
        Files.writeString(config(), render());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The config file in use. */
    public Path config() {
        return dir.resolve("haproxy.cfg");
    }

    public String backendName() {
        return settings.backend;
    }

    public List<String> serverNames() {
        return List.copyOf(settings.servers.keySet());
    }

    public int frontendPort() {
        return frontendPort;
    }

    /** {@code http://127.0.0.1:<frontend port>} */
    public String frontendUrl() {
        return "http://127.0.0.1:" + frontendPort;
    }

    /** The Prometheus exporter: {@code http://127.0.0.1:<stats port>/metrics}. */
    public String metricsUrl() {
        return "http://127.0.0.1:" + statsPort + "/metrics";
    }

    public int statsPort() {
        return statsPort;
    }

    /** The Runtime API's UNIX socket. */
    public Path adminSocket() {
        return dir.resolve("admin.sock");
    }

    /** The Runtime API's TCP port on 127.0.0.1, or -1 when not asked for. */
    public int adminTcpPort() {
        return adminTcpPort;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("global\n")
                .append("  stats socket ").append(adminSocket()).append(" mode 600 level admin\n");
        if (adminTcpPort > 0) {
            sb.append("  stats socket ipv4@127.0.0.1:").append(adminTcpPort).append(" level admin\n");
        }
        sb.append("  stats timeout 30s\n")
                .append("  maxconn 4000\n")
                .append("defaults\n")
                .append("  mode http\n")
                .append("  option http-keep-alive\n")
                .append("  timeout connect 2s\n")
                .append("  timeout client 30s\n")
                .append("  timeout server 30s\n")
                .append("  timeout http-keep-alive 10s\n")
                .append("frontend web\n")
                .append("  bind 127.0.0.1:").append(frontendPort).append('\n')
                .append("  default_backend ").append(settings.backend).append('\n')
                .append("frontend stats\n")
                .append("  bind 127.0.0.1:").append(statsPort).append('\n')
                .append("  http-request use-service prometheus-exporter if { path /metrics }\n")
                .append("  stats enable\n")
                .append("  stats uri /stats\n")
                .append("backend ").append(settings.backend).append('\n')
                .append("  balance roundrobin\n");
        if (settings.healthPath != null) {
            sb.append("  option httpchk GET ").append(settings.healthPath).append('\n');
        }
        settings.servers.forEach((name, s) -> {
            sb.append("  server ").append(name).append(" 127.0.0.1:").append(s.port).append(" weight ").append(s.weight);
            if (settings.healthPath != null) {
                sb.append(" check inter 300ms fall 2 rise 2");
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    private void launch() throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("HAProxy is not installed (" + BINARY + " is missing), so the HAProxy tests cannot run. "
                    + "Install it with `apt-get update && apt-get install -y haproxy` (bin/test does this for you), then run the tests again.");
        }
        Files.deleteIfExists(adminSocket());
        process = new ProcessBuilder(BINARY, "-f", config().toString(), "-db")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        ProcessTree.stopAtExit(process);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("HAProxy exited with " + process.exitValue() + ":\n" + log());
            }
            if (answers(adminSocket()) && listens(frontendPort)) {
                return;
            }
            sleep(20);
        }
        ProcessTree.stop(process, Duration.ofSeconds(5));
        throw new IllegalStateException("HAProxy did not become ready within 30 s:\n" + log());
    }

    /** What HAProxy wrote to its standard output and error. */
    public String log() {
        try {
            return Files.readString(dir.resolve("haproxy.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static boolean answers(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(java.nio.ByteBuffer.wrap("show info\n".getBytes(StandardCharsets.US_ASCII)));
            return ch.read(java.nio.ByteBuffer.allocate(64)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ends HAProxy with SIGKILL, as a crash would: the Runtime API's changes are lost with it. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
            ProcessTree.stop(process, Duration.ZERO);
        }
    }

    /** Starts HAProxy again from its config file (so with the initial weights, as a restarted server would). */
    public void restart() {
        kill();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            ProcessTree.stop(process, Duration.ofSeconds(10));
        }
        deleteTree(dir);
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** What to start: the backend's name, its servers and weights (0-256), health checks, a TCP admin socket. */
    public static final class Builder {
        private record ServerDef(int port, int weight) {}

        private String backend = "app";
        private final Map<String, ServerDef> servers = new LinkedHashMap<>();
        private String healthPath;
        private boolean tcpAdmin;

        public Builder backend(String name) {
            this.backend = name;
            return this;
        }

        /** A server of the backend on 127.0.0.1:{@code port} with its initial weight (0-256). */
        public Builder server(String name, int port, int weight) {
            servers.put(name, new ServerDef(port, weight));
            return this;
        }

        /** HAProxy's own HTTP health checks of each server ({@code option httpchk GET path}, every 300 ms). */
        public Builder healthCheck(String path) {
            this.healthPath = path;
            return this;
        }

        /** Opens the Runtime API on a TCP port of 127.0.0.1 as well. */
        public Builder tcpAdmin(boolean on) {
            this.tcpAdmin = on;
            return this;
        }

        public HaproxyServer start() {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("servers: name at least one");
            }
            HaproxyServer h = null;
            try {
                h = new HaproxyServer(this);
                h.launch();
                return h;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start HAProxy", e);
            } catch (RuntimeException e) {
                if (h != null) {
                    deleteTree(h.dir);
                }
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "HAProxy on " + frontendUrl() + " (" + new ArrayList<>(settings.servers.keySet()) + ")";
    }
}
