package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.NginxRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * The router a rollout moves traffic on: given on the command line (HAProxy Runtime API address, backend and
 * servers) or in a small properties file ({@code type=haproxy} or {@code type=nginx} and its settings).
 */
public final class RouterOptions {

    private static final Set<String> HAPROXY_KEYS = Set.of("type", "name", "socket", "backend", "servers", "timeout");
    private static final Set<String> NGINX_KEYS = Set.of("type", "name", "prefix", "config", "upstream-file", "upstream", "servers", "binary",
            "upstream-directives");

    @Option(names = "--router-file", paramLabel = "FILE",
            description = "A router file: type=haproxy with socket, backend, servers; or type=nginx with prefix, config, upstream-file, "
                    + "upstream, servers (name=host:port,...). See docs/cli.md.")
    Path file;

    @Option(names = "--haproxy", paramLabel = "ADDRESS",
            description = "HAProxy's Runtime API (stats socket ... level admin): unix:/path, /path or host:port.")
    String haproxy;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "app", description = "The HAProxy backend (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--servers", paramLabel = "A,B", split = ",",
            description = "The backend's servers, the rollout's two sides (default: stable,canary; blue,green for bluegreen).")
    List<String> servers;

    @Option(names = "--router-name", paramLabel = "NAME", description = "The router's name in the store (default: from the file, or the backend).")
    String name;

    TrafficRouter router(List<String> defaultServers) {
        if (file != null && haproxy != null) {
            throw new IllegalArgumentException("--router-file and --haproxy: give one of them, not both");
        }
        if (file != null) {
            return fromFile(file, defaultServers);
        }
        if (haproxy == null) {
            throw new IllegalArgumentException("router: give --haproxy ADDRESS (with --backend and --servers) or --router-file FILE");
        }
        List<String> s = servers == null ? defaultServers : servers;
        return new HaproxyRouter(name != null ? name : backend, HaproxyRuntimeApi.parse(haproxy, Duration.ofSeconds(5)), backend, s,
                RetryPolicy.DEFAULT);
    }

    static TrafficRouter fromFile(Path path, List<String> defaultServers) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("--router-file: cannot read " + path + ": "
                    + (Files.isDirectory(path) ? "it is a folder" : CliInputs.why(e))
                    + "; give the path of a router properties file (type=haproxy or type=nginx, see docs/cli.md)");
        }
        String type = p.getProperty("type", "").strip().toLowerCase(Locale.ROOT);
        switch (type) {
            case "haproxy" -> {
                unknownKeys(p, HAPROXY_KEYS);
                String socket = required(p, "socket");
                String backend = p.getProperty("backend", "app").strip();
                List<String> servers = p.getProperty("servers") == null ? defaultServers : list(p.getProperty("servers"));
                Duration timeout = p.getProperty("timeout") == null ? Duration.ofSeconds(5) : Durations.parse("router file: timeout", p.getProperty("timeout"));
                return new HaproxyRouter(p.getProperty("name", backend).strip(), HaproxyRuntimeApi.parse(socket, timeout), backend, servers,
                        RetryPolicy.DEFAULT);
            }
            case "nginx" -> {
                unknownKeys(p, NGINX_KEYS);
                Map<String, String> servers = new LinkedHashMap<>();
                for (String entry : list(required(p, "servers"))) {
                    int eq = entry.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("router file: servers: '" + entry + "' is not name=host:port");
                    }
                    servers.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
                }
                Path prefix = Path.of(required(p, "prefix"));
                NginxRouter.Settings s = new NginxRouter.Settings(Path.of(p.getProperty("binary", "/usr/sbin/nginx").strip()), prefix,
                        Path.of(required(p, "config")), Path.of(required(p, "upstream-file")), required(p, "upstream"), servers,
                        upstreamDirectives(p), Duration.ofSeconds(10), Duration.ofSeconds(30));
                return new NginxRouter(p.getProperty("name", required(p, "upstream")).strip(), s, new ArrayList<>(servers.keySet()));
            }
            default -> throw new IllegalArgumentException("router file: type: '" + type + "' is not haproxy or nginx");
        }
    }

    private static void unknownKeys(Properties p, Set<String> allowed) {
        for (String k : p.stringPropertyNames()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("router file: " + k + ": unknown key; use " + new TreeSet<>(allowed));
            }
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("router file: " + key + ": required");
        }
        return v.strip();
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * {@code upstream-directives=keepalive 32; keepalive_timeout 60s}: lines the rewritten upstream block keeps, separated
     * by {@code ;} as nginx writes them (the router rewrites the whole block, so a directive not listed here is dropped).
     */
    static List<String> upstreamDirectives(Properties p) {
        String value = p.getProperty("upstream-directives");
        if (value == null) {
            return List.of();
        }
        List<String> directives = new ArrayList<>();
        for (String d : value.split(";")) {
            if (!d.isBlank()) {
                directives.add(d.strip());
            }
        }
        return directives;
    }
}
