package io.jenkins.plugins.releaseline.cli.rehearsal;

import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy (Debian's {@code /usr/sbin/haproxy}) in front of the sample application's two slots: backend {@code app}
 * with servers {@code stable} (weight 100) and {@code canary} (weight 0), its Runtime API on a UNIX socket for the
 * engine's {@link HaproxyRouter}, and its Prometheus exporter on a second port.
 */
final class Haproxy implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/haproxy");
    static final String BACKEND = "app";

    private final Path socket;
    private final int frontPort;
    private final int metricsPort;
    private final LocalProcess process;

    Haproxy(Path binary, Path folder, SampleApp stable, SampleApp canary) {
        this.socket = folder.resolve("haproxy-admin.sock");
        this.frontPort = LocalProcess.freePort();
        this.metricsPort = LocalProcess.freePort();
        Path config = folder.resolve("haproxy.cfg");
        String cfg = String.join("\n",
                "global",
                "    stats socket " + socket + " mode 600 level admin",
                "    maxconn 2000",
                "defaults",
                "    mode http",
                "    timeout connect 2s",
                "    timeout client 20s",
                "    timeout server 20s",
                "frontend front",
                "    bind 127.0.0.1:" + frontPort,
                "    default_backend " + BACKEND,
                "frontend exporter",
                "    bind 127.0.0.1:" + metricsPort,
                "    http-request use-service prometheus-exporter if { path /metrics }",
                "backend " + BACKEND,
                "    balance roundrobin",
                "    option httpchk GET /health",
                "    server stable 127.0.0.1:" + stable.port() + " weight 100 check inter 1s",
                "    server canary 127.0.0.1:" + canary.port() + " weight 0 check inter 1s",
                "");
        try {
            Files.writeString(config, cfg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + config, e);
        }
        // A socket file left by an earlier run would pass the readiness check below before HAProxy has bound it.
        deleteSocket();
        process = new LocalProcess("HAProxy", List.of(binary.toString(), "-f", config.toString(), "-db"), folder.resolve("haproxy.log"));
        try {
            process.awaitReady(() -> Files.exists(socket) && LocalProcess.accepts(frontPort) && LocalProcess.accepts(metricsPort),
                    Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    HaproxyRouter router() {
        return new HaproxyRouter("rehearsal-lb", HaproxyRuntimeApi.unix(socket, Duration.ofSeconds(5)), BACKEND,
                List.of("stable", "canary"), RetryPolicy.DEFAULT);
    }

    String frontUrl() {
        return "http://127.0.0.1:" + frontPort + "/";
    }

    String metricsTarget() {
        return "127.0.0.1:" + metricsPort;
    }

    Path socket() {
        return socket;
    }

    @Override
    public void close() {
        process.close();
        deleteSocket(); // HAProxy leaves its UNIX socket file behind when it stops
    }

    private void deleteSocket() {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the stale HAProxy socket " + socket, e);
        }
    }
}
