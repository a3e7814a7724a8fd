package io.jenkins.plugins.releaseline.rollout.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda REST-JSON calls lambdaDeploy makes, on loopback, for one function with an alias {@code live}: the
 * plugin's tests cannot reach the engine's fuller test endpoint ({@code LambdaApiServer}, in the engine's test
 * jar), so this one keeps to what those tests need: aliases with one weighted version, code from a zip, updates
 * that finish at once, publish, and invoke (versions after 1 fail payloads that mention an order when {@link #newVersionFails} is set).
 */
final class LambdaTestEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH =
            Pattern.compile("/2015-03-31/functions/([^/]+)/(aliases/([^/]+)|code|configuration|versions|invocations)");

    private final HttpServer server;
    private final String function;
    private final List<String> versionShas = new ArrayList<>();
    private String latestSha;
    private String aliasVersion = "1";
    private final Map<String, Double> weights = new LinkedHashMap<>();
    private String revision = UUID.randomUUID().toString();
    private final Random routing = new Random(3);
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    volatile boolean newVersionFails;
    /** UpdateFunctionCode and PublishVersion calls received. */
    final java.util.concurrent.atomic.AtomicInteger codeUpdates = new java.util.concurrent.atomic.AtomicInteger();

    final java.util.concurrent.atomic.AtomicInteger publishes = new java.util.concurrent.atomic.AtomicInteger();

    LambdaTestEndpoint(String function) {
        this.function = function;
        latestSha = sha("orders 1.0.0".getBytes(StandardCharsets.UTF_8));
        versionShas.add(latestSha);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized String aliasVersion() {
        return aliasVersion;
    }

    synchronized Map<String, Double> weights() {
        return new LinkedHashMap<>(weights);
    }

    static String sha(byte[] bytes) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            Matcher m = PATH.matcher(ex.getRequestURI().getRawPath());
            byte[] body = ex.getRequestBody().readAllBytes();
            JsonNode in = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            if (!m.matches()
                    || !URLDecoder.decode(m.group(1), StandardCharsets.UTF_8).equals(function)) {
                error(
                        ex,
                        404,
                        "ResourceNotFoundException",
                        "Function not found: " + ex.getRequestURI().getPath());
                return;
            }
            String op = m.group(2);
            String method = ex.getRequestMethod();
            if (op.startsWith("aliases/") && !m.group(3).equals("live")) {
                error(ex, 404, "ResourceNotFoundException", "Alias not found: " + m.group(3));
            } else if (op.startsWith("aliases/") && method.equals("GET")) {
                reply(ex, 200, alias());
            } else if (op.startsWith("aliases/") && method.equals("PUT")) {
                String v = in.path("FunctionVersion").asText(aliasVersion);
                Map<String, Double> w = new LinkedHashMap<>();
                in.path("RoutingConfig")
                        .path("AdditionalVersionWeights")
                        .properties()
                        .forEach(e -> w.put(e.getKey(), e.getValue().asDouble()));
                if (w.values().stream().anyMatch(d -> d < 0 || d > 1) || w.size() > 1) {
                    error(ex, 400, "ValidationException", "routingConfig.additionalVersionWeights out of range");
                    return;
                }
                if (in.hasNonNull("RevisionId")
                        && !in.get("RevisionId").asText().equals(revision)) {
                    error(
                            ex,
                            412,
                            "PreconditionFailedException",
                            "The Revision Id provided does not match the latest Revision Id.");
                    return;
                }
                aliasVersion = v;
                weights.clear();
                weights.putAll(w);
                revision = UUID.randomUUID().toString();
                reply(ex, 200, alias());
            } else if (op.equals("code")) {
                codeUpdates.incrementAndGet();
                latestSha = sha(Base64.getDecoder().decode(in.path("ZipFile").asText()));
                reply(ex, 200, configuration("$LATEST", latestSha, "InProgress"));
            } else if (op.equals("configuration")) {
                String q = ex.getRequestURI().getQuery() == null
                        ? "$LATEST"
                        : ex.getRequestURI().getQuery().replace("Qualifier=", "");
                q = q.equals("live") ? aliasVersion : q;
                reply(
                        ex,
                        200,
                        configuration(
                                q,
                                q.equals("$LATEST") ? latestSha : versionShas.get(Integer.parseInt(q) - 1),
                                "Successful"));
            } else if (op.equals("versions")) {
                publishes.incrementAndGet();
                if (!versionShas.get(versionShas.size() - 1).equals(latestSha)) {
                    versionShas.add(latestSha);
                }
                reply(ex, 201, configuration(String.valueOf(versionShas.size()), latestSha, "Successful"));
            } else {
                String q = ex.getRequestURI().getQuery() == null
                        ? "$LATEST"
                        : ex.getRequestURI().getQuery().replace("Qualifier=", "");
                String version = q;
                if (q.equals("live")) {
                    version = aliasVersion;
                    for (Map.Entry<String, Double> e : weights.entrySet()) {
                        if (routing.nextDouble() < e.getValue()) {
                            version = e.getKey();
                        }
                    }
                }
                boolean fails = newVersionFails
                        && !version.equals("1")
                        && new String(body, StandardCharsets.UTF_8).contains("\"order\"");
                ex.getResponseHeaders().add("X-Amz-Executed-Version", version);
                if (fails) {
                    ex.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
                }
                byte[] out = (fails ? "{\"errorMessage\":\"boom\",\"errorType\":\"Error\"}" : "{\"status\":\"ok\"}")
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, out.length);
                ex.getResponseBody().write(out);
            }
        }
    }

    private ObjectNode alias() {
        ObjectNode n = JSON.createObjectNode()
                .put("Name", "live")
                .put("FunctionVersion", aliasVersion)
                .put("RevisionId", revision);
        if (!weights.isEmpty()) {
            ObjectNode w = n.putObject("RoutingConfig").putObject("AdditionalVersionWeights");
            weights.forEach(w::put);
        }
        return n;
    }

    private ObjectNode configuration(String version, String sha, String status) {
        return JSON.createObjectNode()
                .put("FunctionName", function)
                .put("Version", version)
                .put("CodeSha256", sha)
                .put("State", "Active")
                .put("LastUpdateStatus", status)
                .put("RevisionId", UUID.randomUUID().toString());
    }

    private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] out = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
    }

    private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        ex.getResponseHeaders().add("x-amzn-ErrorType", type);
        reply(ex, status, JSON.createObjectNode().put("message", message));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
