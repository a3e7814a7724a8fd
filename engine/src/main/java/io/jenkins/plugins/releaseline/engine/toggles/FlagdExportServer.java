package io.jenkins.plugins.releaseline.engine.toggles;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves each environment's flagd export over HTTP at {@code <prefix><environment>.flagd.json} for applications
 * (or a flagd sidecar) that poll: a strong ETag on every answer and {@code 304 Not Modified} when the client's
 * {@code If-None-Match} still matches, so that a poll that finds nothing new costs a few bytes. An environment
 * given a token answers only requests with {@code Authorization: Bearer <token>}. Always the current snapshot:
 * a change made here is served by the next request.
 */
public final class FlagdExportServer implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(FlagdExportServer.class.getName());
    public static final String SUFFIX = ".flagd.json";

    private final FeatureToggles toggles;
    private final String prefix;
    private final Map<String, byte[]> tokens;
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile Cache cache = new Cache(null, Map.of());

    private record Cache(ToggleSnapshot snapshot, Map<String, FlagdExport> exports) {}

    /**
     * Starts serving on {@code address} (port 0 picks a free one) under {@code prefix} (such as
     * {@code /release-line/toggles/}); {@code tokens} maps an environment to the token it requires.
     */
    public static FlagdExportServer start(FeatureToggles toggles, InetSocketAddress address, String prefix, Map<String, String> tokens)
            throws IOException {
        return new FlagdExportServer(toggles, address, prefix, tokens);
    }

    private FlagdExportServer(FeatureToggles toggles, InetSocketAddress address, String prefix, Map<String, String> tokens)
            throws IOException {
        this.toggles = Objects.requireNonNull(toggles, "toggles");
        if (prefix == null || !prefix.startsWith("/") || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix: '" + prefix + "' must start and end with '/', as in /release-line/toggles/");
        }
        this.prefix = prefix;
        Map<String, byte[]> t = new HashMap<>();
        if (tokens != null) {
            tokens.forEach((env, token) -> {
                if (token == null || token.length() < 16) {
                    throw new IllegalArgumentException("tokens." + env + ": a token must have at least 16 characters");
                }
                t.put(env, token.getBytes(StandardCharsets.UTF_8));
            });
        }
        this.tokens = Map.copyOf(t);
        this.server = HttpServer.create(address, 50);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread th = new Thread(r, "release-line-flagd-export");
            th.setDaemon(true);
            return th;
        });
        server.setExecutor(executor);
        server.createContext(prefix, this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The export an HTTP client would get now (built once per snapshot). */
    public FlagdExport current(String environment) {
        ToggleSnapshot snapshot = toggles.snapshot();
        Cache c = cache;
        if (c.snapshot() != snapshot) {
            c = new Cache(snapshot, new java.util.concurrent.ConcurrentHashMap<>());
            cache = c;
        }
        Cache used = c;
        return used.exports().computeIfAbsent(environment, env -> FlagdExport.of(used.snapshot(), env));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "Only GET and HEAD are served here.\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String name = path.substring(prefix.length());
            if (!name.endsWith(SUFFIX) || name.indexOf('/') >= 0) {
                send(exchange, 404, "Ask for <environment>" + SUFFIX + ".\n");
                return;
            }
            String environment = name.substring(0, name.length() - SUFFIX.length());
            if (!toggles.environments().contains(environment)) {
                send(exchange, 404, "No environment '" + environment + "' is defined for toggles.\n");
                return;
            }
            byte[] token = tokens.get(environment);
            if (token != null && !authorized(exchange.getRequestHeaders().getFirst("Authorization"), token)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"release-line-toggles\"");
                send(exchange, 401, "This environment's export needs its token: Authorization: Bearer <token>.\n");
                return;
            }
            FlagdExport export = current(environment);
            exchange.getResponseHeaders().set("ETag", export.etag());
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            if (ifNoneMatch != null && matches(ifNoneMatch, export.etag())) {
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            byte[] body = export.json();
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not serve a flagd export", e);
        }
    }

    /** {@code If-None-Match}: a list of entity tags or {@code *}; a strong comparison. */
    public static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static boolean authorized(String header, byte[] token) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8), token);
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
