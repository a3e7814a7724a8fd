package io.jenkins.plugins.releaseline.engine.andon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Andon page outside Jenkins: the plugin's real andon.js and andon.css, the test shell
 * {@code andon/index.html}, and the page's JSON API ({@link AndonApi}) over a real board, on 127.0.0.1.
 * POSTs without the crumb header are refused, as Jenkins refuses them, so the script must send it.
 */
final class AndonPageServer implements AutoCloseable {

    /** The canonical web assets; the plugin loads them as an adjunct. */
    static final String ASSETS = "plugin/src/main/resources/io/jenkins/plugins/releaseline/andon";
    static final String CRUMB = "test-crumb-7f3a";

    private final HttpServer server;
    private final AndonApi api;
    private final String principal;
    private final Path assets;

    AndonPageServer(AndonApi api, String principal) throws IOException {
        this.api = api;
        this.principal = principal;
        this.assets = assetsFolder();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The repository's plugin assets, whether the tests run from the engine folder or the repository root. */
    static Path assetsFolder() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path base = here; base != null; base = base.getParent()) {
            Path candidate = base.resolve(ASSETS);
            if (Files.isRegularFile(candidate.resolve("andon.js"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cannot find " + ASSETS + "/andon.js above " + here
                + "; run the engine tests from a checkout of the whole repository");
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (method.equals("GET") && path.equals("/")) {
                String html;
                try (InputStream in = AndonPageServer.class.getResourceAsStream("/andon/index.html")) {
                    html = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("CRUMB_VALUE", CRUMB);
                }
                send(ex, 200, "text/html; charset=utf-8", html);
            } else if (method.equals("GET") && (path.equals("/assets/andon.js") || path.equals("/assets/andon.css"))) {
                String file = path.substring("/assets/".length());
                send(ex, 200, file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
                        Files.readString(assets.resolve(file)));
            } else if (method.equals("GET") && path.equals("/andon/state")) {
                answer(ex, api.state());
            } else if (method.equals("POST") && (path.equals("/andon/pull") || path.equals("/andon/release"))) {
                if (!CRUMB.equals(ex.getRequestHeaders().getFirst("Jenkins-Crumb"))) {
                    answer(ex, new AndonApi.Response(403, AndonJson.error("No valid crumb was included in the request")));
                    return;
                }
                Map<String, String> form = form(ex);
                answer(ex, path.endsWith("pull") ? api.pull(principal, form::get) : api.release(principal, form::get));
            } else {
                send(ex, 404, "text/plain", "not found");
            }
        }
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static void answer(HttpExchange ex, AndonApi.Response r) throws IOException {
        send(ex, r.status(), "application/json; charset=utf-8", r.json());
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
