package io.jenkins.plugins.releaseline.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A real nginx from the machine's packages ({@code /usr/sbin/nginx}) on 127.0.0.1, run as the test's user from a
 * temporary prefix (absolute paths for the pid file, the logs and every {@code *_temp_path}, so that it runs as
 * root too). {@code nginx.conf} proxies a free port to the upstream {@code app}, defined in its own file
 * {@code upstream.conf} (included by absolute path) that a router rewrites. The fixture writes the first
 * {@code upstream.conf} from the servers given; reloads are the router's job ({@code nginx -s reload}).
 */
public final class NginxServer implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/nginx";

    private final Path dir;
    private final int port;
    private final String upstream;
    private final Map<String, Integer> serverPorts;
    private Process process;

    private NginxServer(String upstream, Map<String, Integer> serverPorts, Map<String, Integer> weights) throws IOException {
        this.dir = Files.createTempDirectory("release-line-nginx-");
        this.port = Ports.free();
        this.upstream = upstream;
        this.serverPorts = Map.copyOf(serverPorts);
        for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs")) {
            Files.createDirectories(dir.resolve(t));
        }
        Files.writeString(config(), renderMain());
        StringBuilder up = new StringBuilder("upstream " + upstream + " {\n");
        serverPorts.forEach((name, p) -> {
            int w = weights.getOrDefault(name, 0);
            up.append("    server 127.0.0.1:").append(p).append(w > 0 ? " weight=" + w : " down").append(";  # ").append(name).append('\n');
        });
        up.append("    keepalive 32;\n}\n");
        Files.writeString(upstreamFile(), up.toString());
    }

    /**
     * Starts nginx with the upstream {@code upstream} holding the named servers (name to port on 127.0.0.1) with
     * their initial weights (0: {@code down}). Fails, with how to install it, where nginx is absent.
     */
    public static NginxServer start(String upstream, Map<String, Integer> serverPorts, Map<String, Integer> weights) {
        NginxServer n = null;
        try {
            n = new NginxServer(upstream, new LinkedHashMap<>(serverPorts), weights);
            n.launch();
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start nginx", e);
        } catch (RuntimeException e) {
            if (n != null) {
                n.close();
            }
            throw e;
        }
    }

    private String renderMain() {
        return "daemon off;\n"
                + "master_process on;\n"
                + "worker_processes 1;\n"
                + "worker_shutdown_timeout 10s;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + errorLog() + " notice;\n"
                + "events { worker_connections 1024; }\n"
                + "http {\n"
                + "    access_log off;\n"
                + "    client_body_temp_path " + dir.resolve("client_body") + ";\n"
                + "    proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "    keepalive_timeout 30s;\n"
                + "    include " + upstreamFile() + ";\n"
                + "    server {\n"
                + "        listen 127.0.0.1:" + port + ";\n"
                + "        location / {\n"
                + "            proxy_pass http://" + upstream + ";\n"
                + "            proxy_http_version 1.1;\n"
                + "            proxy_set_header Connection \"\";\n"
                + "            proxy_next_upstream error timeout;\n"
                + "            proxy_connect_timeout 2s;\n"
                + "        }\n"
                + "    }\n"
                + "}\n";
    }

    private void launch() throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("nginx is not installed (" + BINARY + " is missing), so the nginx tests cannot run. "
                    + "Install it with `apt-get update && apt-get install -y nginx` (bin/test does this for you), then run the tests again.");
        }
        process = new ProcessBuilder(BINARY, "-p", dir.toString(), "-c", config().toString(), "-e", errorLog().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile())
                .start();
        ProcessTree.stopAtExit(process);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                ProcessTree.stop(process, Duration.ofSeconds(5));
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ":\n" + log());
            }
            if (listens(port) && !workerPids().isEmpty()) {
                return;
            }
            HaproxyServer.sleep(20);
        }
        ProcessTree.stop(process, Duration.ofSeconds(5));
        throw new IllegalStateException("nginx did not become ready within 30 s:\n" + log());
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The prefix folder ({@code -p}). */
    public Path prefix() {
        return dir;
    }

    /** The main config ({@code -c}). */
    public Path config() {
        return dir.resolve("nginx.conf");
    }

    /** The upstream file the main config includes by absolute path. */
    public Path upstreamFile() {
        return dir.resolve("upstream.conf");
    }

    public Path errorLog() {
        return dir.resolve("logs/error.log");
    }

    public String upstreamName() {
        return upstream;
    }

    /** Backend name to {@code 127.0.0.1:port}, as the router's configuration names them. */
    public Map<String, String> serverAddresses() {
        return serverPorts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> "127.0.0.1:" + e.getValue()));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long masterPid() {
        return process.pid();
    }

    /** The worker processes alive now (after a reload, old ones stay until their requests are done). */
    public Set<Long> workerPids() {
        return process.toHandle().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    public String log() {
        try {
            return Files.readString(errorLog()) + Files.readString(dir.resolve("logs/stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        // SIGTERM to the master, which stops its workers and waits for them; then whatever is left is killed. Killing
        // the master first would leave its workers running, holding the port, after the build.
        if (process != null) {
            ProcessTree.stop(process, Duration.ofSeconds(10));
        }
        HaproxyServer.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "nginx on " + url();
    }
}
