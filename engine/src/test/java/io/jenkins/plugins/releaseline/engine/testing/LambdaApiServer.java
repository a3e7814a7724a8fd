package io.jenkins.plugins.releaseline.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP endpoint that speaks the AWS Lambda REST-JSON protocol (API version 2015-03-31) for the
 * calls Release Line makes, with the paths, methods and field names of the AWS SDK for Java 2.57.8
 * ({@code GetAliasRequestMarshaller}, {@code UpdateAliasRequestMarshaller}, ...), and enforcing what the
 * service enforces for them:
 * <ul>
 *   <li>{@code GET  /2015-03-31/functions/{FunctionName}/aliases/{Name}} (GetAlias)</li>
 *   <li>{@code PUT  /2015-03-31/functions/{FunctionName}/aliases/{Name}} (UpdateAlias): the function version
 *       and every version in {@code RoutingConfig.AdditionalVersionWeights} must exist, weights lie in
 *       0.0..1.0, at most one additional version, none on {@code $LATEST}, {@code RevisionId} must match</li>
 *   <li>{@code PUT  /2015-03-31/functions/{FunctionName}/code} (UpdateFunctionCode): {@code ZipFile} (base64 in
 *       JSON) or {@code S3Bucket}/{@code S3Key}/{@code S3ObjectVersion} from the in-memory S3 the test seeds;
 *       the update is {@code InProgress} for {@link #updateDuration}, then {@code Successful} (or
 *       {@code Failed}, see {@link #failNextUpdate}); another update or a publish meanwhile is a conflict</li>
 *   <li>{@code GET  /2015-03-31/functions/{FunctionName}/configuration?Qualifier=} (GetFunctionConfiguration)</li>
 *   <li>{@code GET  /2015-03-31/functions/{FunctionName}/versions?Marker=&MaxItems=} (ListVersionsByFunction):
 *       {@code $LATEST}, then every published version, a page of {@code MaxItems} (default 50) at a time</li>
 *   <li>{@code POST /2015-03-31/functions/{FunctionName}/versions} (PublishVersion): an unchanged
 *       {@code $LATEST} answers the latest published version instead of a new one, as the service does</li>
 *   <li>{@code POST /2015-03-31/functions/{FunctionName}/invocations?Qualifier=} (Invoke): runs the handler
 *       the test set for the version (or for its code), routes an alias by its weights, and counts
 *       invocations and errors per executed version</li>
 * </ul>
 * {@code CodeSha256} is the base64 of the SHA-256 of the zip bytes. Errors carry the service's type names in
 * the {@code x-amzn-ErrorType} header and a JSON body. Request signatures are accepted without being checked.
 */
public final class LambdaApiServer implements AutoCloseable {

    public static final String REGION = "eu-west-1";
    public static final String ACCOUNT = "123456789012";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/2015-03-31/functions/([^/]+)(/.*)?");
    private static final Pattern ALIAS = Pattern.compile("/aliases/([^/]+)");
    private static final Pattern VERSION_NUMBER = Pattern.compile("[0-9]+");
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /** What a function's code does when invoked: the payload it returns, and the error type when it fails. */
    public record Invocation(String payload, String functionError) {
        public static Invocation ok(String payload) {
            return new Invocation(payload, null);
        }

        public static Invocation unhandled(String errorType, String message) {
            ObjectNode n = JSON.createObjectNode().put("errorMessage", message).put("errorType", errorType);
            return new Invocation(n.toString(), "Unhandled");
        }
    }

    /** Runs one invocation of a version; gets the request payload. */
    @FunctionalInterface
    public interface Handler {
        Invocation invoke(String payload);
    }

    /** A handler that fails a given share of invocations, deterministically for a seed. */
    public static Handler failing(double share, long seed) {
        Random random = new Random(seed);
        return payload -> {
            synchronized (random) {
                return random.nextDouble() < share
                        ? Invocation.unhandled("OrderError", "simulated failure")
                        : Invocation.ok("{\"status\":\"ok\"}");
            }
        };
    }

    private record Version(String number, String codeSha256, long codeSize, String revisionId, String lastModified) {}

    private static final class Function {
        final String name;
        byte[] latestCode;
        String latestSha;
        String latestRevision = UUID.randomUUID().toString();
        String lastModified;
        long updateEndsAtNanos;
        String updateFailure;
        String pendingFailure;
        final Map<String, Version> versions = new LinkedHashMap<>();
        final Map<String, AliasState> aliases = new LinkedHashMap<>();
        final Map<String, Handler> versionHandlers = new ConcurrentHashMap<>();

        Function(String name) {
            this.name = name;
        }

        String arn() {
            return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
        }

        boolean updating() {
            return latestSha != null && System.nanoTime() < updateEndsAtNanos;
        }
    }

    private static final class AliasState {
        String version;
        Map<String, Double> weights = new LinkedHashMap<>();
        String description = "";
        String revisionId = UUID.randomUUID().toString();
    }

    /** One request as the server received it: method, path and query, for tests that check what was called. */
    public record Call(String method, String path, String query) {}

    private final HttpServer server;
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, byte[]> s3 = new ConcurrentHashMap<>();
    private final Map<String, Handler> codeHandlers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> invocations = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final Random routing = new Random(11);
    private final AtomicLong s3Versions = new AtomicLong();
    private volatile Duration updateDuration = Duration.ofMillis(300);
    private volatile Runnable beforeAliasUpdate;

    static {
        // without it the JDK server's small writes meet delayed ACKs: ~40 ms per call instead of ~1 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LambdaApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    public static LambdaApiServer start() {
        try {
            return new LambdaApiServer();
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on 127.0.0.1", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- seeding and inspection (the test's side) ----

    /** How long an update of the code stays {@code InProgress}. */
    public void updateDuration(Duration d) {
        updateDuration = d;
    }

    /** Stores an object in the in-memory S3 and returns its new version id. */
    public String putS3Object(String bucket, String key, byte[] bytes) {
        String version = "v" + s3Versions.incrementAndGet() + "." + UUID.randomUUID().toString().substring(0, 8);
        s3.put(bucket + "/" + key + "#" + version, bytes.clone());
        s3.put(bucket + "/" + key + "#null", bytes.clone());
        s3.put(bucket + "/", new byte[0]);
        return version;
    }

    /** Creates a function with {@code code} in {@code $LATEST}, publishes it as version 1, and points {@code alias} at it. */
    public synchronized void createFunction(String name, byte[] code, String alias) {
        Function f = new Function(name);
        f.latestCode = code.clone();
        f.latestSha = codeSha256(code);
        f.lastModified = now();
        f.versions.put("1", new Version("1", f.latestSha, code.length, UUID.randomUUID().toString(), f.lastModified));
        AliasState a = new AliasState();
        a.version = "1";
        f.aliases.put(alias, a);
        functions.put(name, f);
    }

    /** Puts {@code code} in {@code $LATEST} and publishes it at once, as a console user would; returns the version. */
    public synchronized String publishVersion(String function, byte[] code) {
        Function f = fn(function);
        f.latestCode = code.clone();
        f.latestSha = codeSha256(code);
        f.lastModified = now();
        String number = String.valueOf(f.versions.size() + 1);
        f.versions.put(number, new Version(number, f.latestSha, code.length, UUID.randomUUID().toString(), f.lastModified));
        return number;
    }

    /** Changes an alias behind the client's back, as someone in the console would. */
    public synchronized void setAlias(String function, String alias, String version, Map<String, Double> weights) {
        AliasState a = fn(function).aliases.get(alias);
        a.version = version;
        a.weights = new LinkedHashMap<>(weights);
        a.revisionId = UUID.randomUUID().toString();
    }

    /** Runs {@code change} (e.g. {@link #setAlias}) just before the next UpdateAlias is processed: someone else's edit in between. */
    public void beforeNextAliasUpdate(Runnable change) {
        beforeAliasUpdate = change;
    }

    /** The next update of {@code function}'s code ends {@code Failed} with this reason. */
    public synchronized void failNextUpdate(String function, String reason) {
        fn(function).pendingFailure = reason;
    }

    /** What invocations of this exact version do (wins over {@link #onCode}). */
    public void onVersion(String function, String version, Handler handler) {
        synchronized (this) {
            fn(function).versionHandlers.put(version, handler);
        }
    }

    /** What invocations of any version whose code has this {@code CodeSha256} (base64) do. */
    public void onCode(String codeSha256, Handler handler) {
        codeHandlers.put(codeSha256, handler);
    }

    public synchronized String aliasVersion(String function, String alias) {
        return fn(function).aliases.get(alias).version;
    }

    public synchronized Map<String, Double> aliasWeights(String function, String alias) {
        return new LinkedHashMap<>(fn(function).aliases.get(alias).weights);
    }

    public synchronized List<String> versions(String function) {
        return new ArrayList<>(fn(function).versions.keySet());
    }

    public long invocations(String function, String version) {
        return invocations.getOrDefault(function + ":" + version, new AtomicLong()).get();
    }

    public long errors(String function, String version) {
        return errors.getOrDefault(function + ":" + version, new AtomicLong()).get();
    }

    public List<Call> calls() {
        synchronized (calls) {
            return new ArrayList<>(calls);
        }
    }

    /** {@code CodeSha256} as Lambda reports it: base64 of the SHA-256 of the zip bytes. */
    public static String codeSha256(byte[] zip) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(zip));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Function fn(String name) {
        Function f = functions.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no function " + name);
        }
        return f;
    }

    // ---- the protocol ----

    private static final class ApiError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;

        ApiError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            calls.add(new Call(method, path, ex.getRequestURI().getRawQuery()));
            byte[] body = ex.getRequestBody().readAllBytes();
            try {
                Matcher m = PATH.matcher(path);
                if (!m.matches()) {
                    throw new ApiError(404, "UnknownOperationException", "Unknown operation " + method + " " + path);
                }
                String function = functionName(decode(m.group(1)));
                String rest = m.group(2) == null ? "" : m.group(2);
                Matcher alias = ALIAS.matcher(rest);
                if (alias.matches() && method.equals("GET")) {
                    reply(ex, 200, getAlias(function, decode(alias.group(1))));
                } else if (alias.matches() && method.equals("PUT")) {
                    reply(ex, 200, updateAlias(function, decode(alias.group(1)), parse(body)));
                } else if (rest.equals("/code") && method.equals("PUT")) {
                    reply(ex, 200, updateCode(function, parse(body)));
                } else if (rest.equals("/configuration") && method.equals("GET")) {
                    reply(ex, 200, configuration(function, query.get("Qualifier")));
                } else if (rest.equals("/versions") && method.equals("GET")) {
                    reply(ex, 200, listVersions(function, query.get("Marker"), query.get("MaxItems")));
                } else if (rest.equals("/versions") && method.equals("POST")) {
                    reply(ex, 201, publish(function, parse(body)));
                } else if (rest.equals("/invocations") && method.equals("POST")) {
                    invoke(ex, function, query.get("Qualifier"), ex.getRequestHeaders().getFirst("X-Amz-Invocation-Type"),
                            new String(body, StandardCharsets.UTF_8));
                } else {
                    throw new ApiError(404, "UnknownOperationException", "Unknown operation " + method + " " + path);
                }
            } catch (ApiError e) {
                ObjectNode n = JSON.createObjectNode().put("Type", "User").put("message", e.getMessage());
                ex.getResponseHeaders().add("x-amzn-ErrorType", e.type);
                ex.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
                byte[] out = n.toString().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(e.status, out.length);
                ex.getResponseBody().write(out);
            } catch (RuntimeException e) {
                byte[] out = ("{\"message\":\"" + e + "\"}").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("x-amzn-ErrorType", "ServiceException");
                ex.sendResponseHeaders(500, out.length);
                ex.getResponseBody().write(out);
            }
        }
    }

    private static String functionName(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            String[] parts = nameOrArn.split(":");
            return parts.length > 6 ? parts[6] : nameOrArn;
        }
        return nameOrArn;
    }

    private Function existing(String name) throws ApiError {
        Function f = functions.get(name);
        if (f == null) {
            throw new ApiError(404, "ResourceNotFoundException", "Function not found: arn:aws:lambda:" + REGION + ":"
                    + ACCOUNT + ":function:" + name);
        }
        return f;
    }

    private synchronized ObjectNode getAlias(String function, String name) throws ApiError {
        Function f = existing(function);
        return aliasJson(f, name, alias(f, name));
    }

    private AliasState alias(Function f, String name) throws ApiError {
        AliasState a = f.aliases.get(name);
        if (a == null) {
            throw new ApiError(404, "ResourceNotFoundException", "Alias not found: " + f.arn() + ":" + name);
        }
        return a;
    }

    private ObjectNode aliasJson(Function f, String name, AliasState a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("AliasArn", f.arn() + ":" + name);
        n.put("Name", name);
        n.put("FunctionVersion", a.version);
        n.put("Description", a.description);
        if (!a.weights.isEmpty()) {
            ObjectNode w = n.putObject("RoutingConfig").putObject("AdditionalVersionWeights");
            a.weights.forEach(w::put);
        }
        n.put("RevisionId", a.revisionId);
        return n;
    }

    private synchronized ObjectNode updateAlias(String function, String name, JsonNode body) throws ApiError {
        Runnable change = beforeAliasUpdate;
        beforeAliasUpdate = null;
        if (change != null) {
            change.run();
        }
        Function f = existing(function);
        AliasState a = alias(f, name);
        if (body.hasNonNull("RevisionId") && !body.get("RevisionId").asText().equals(a.revisionId)) {
            throw new ApiError(412, "PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id");
        }
        String version = body.hasNonNull("FunctionVersion") ? body.get("FunctionVersion").asText() : a.version;
        if (!version.equals("$LATEST") && !f.versions.containsKey(version)) {
            throw new ApiError(404, "ResourceNotFoundException", "Function not found: " + f.arn() + ":" + version);
        }
        Map<String, Double> weights = a.weights;
        JsonNode routing = body.get("RoutingConfig");
        if (routing != null && !routing.isNull()) {
            weights = new LinkedHashMap<>();
            JsonNode additional = routing.get("AdditionalVersionWeights");
            if (additional != null && !additional.isNull()) {
                for (Map.Entry<String, JsonNode> e : additional.properties()) {
                    double w = e.getValue().asDouble();
                    if (!e.getValue().isNumber() || w < 0.0 || w > 1.0) {
                        throw new ApiError(400, "ValidationException", "1 validation error detected: Value '{"
                                + e.getKey() + "=" + e.getValue() + "}' at 'routingConfig.additionalVersionWeights' failed to "
                                + "satisfy constraint: Map value must satisfy constraint: [Member must have value less than or "
                                + "equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]");
                    }
                    weights.put(e.getKey(), w);
                }
            }
        }
        if (weights.size() > 1) {
            throw new ApiError(400, "InvalidParameterValueException",
                    "Number of items in AdditionalVersionWeights cannot be greater than 1");
        }
        for (String v : weights.keySet()) {
            if (!VERSION_NUMBER.matcher(v).matches() || !f.versions.containsKey(v)) {
                throw new ApiError(404, "ResourceNotFoundException", "Function not found: " + f.arn() + ":" + v);
            }
            if (v.equals(version)) {
                throw new ApiError(400, "InvalidParameterValueException",
                        "Invalid function version " + v + ". Function version " + v + " is already included in routing configuration.");
            }
        }
        if (!weights.isEmpty() && version.equals("$LATEST")) {
            throw new ApiError(400, "InvalidParameterValueException", "$LATEST is not supported for an alias pointing to more than 1 version");
        }
        a.version = version;
        a.weights = weights;
        if (body.hasNonNull("Description")) {
            a.description = body.get("Description").asText();
        }
        a.revisionId = UUID.randomUUID().toString();
        return aliasJson(f, name, a);
    }

    private synchronized ObjectNode updateCode(String function, JsonNode body) throws ApiError {
        Function f = existing(function);
        if (f.updating()) {
            throw new ApiError(409, "ResourceConflictException", "The operation cannot be performed at this time. "
                    + "An update is in progress for resource: " + f.arn());
        }
        if (body.path("Publish").asBoolean(false) || body.path("DryRun").asBoolean(false)) {
            throw new ApiError(400, "InvalidParameterValueException",
                    "this test endpoint supports neither Publish nor DryRun on UpdateFunctionCode");
        }
        byte[] code;
        if (body.hasNonNull("ZipFile")) {
            code = Base64.getDecoder().decode(body.get("ZipFile").asText());
        } else if (body.hasNonNull("S3Bucket") && body.hasNonNull("S3Key")) {
            String bucket = body.get("S3Bucket").asText();
            String key = body.get("S3Key").asText();
            String objectVersion = body.hasNonNull("S3ObjectVersion") ? body.get("S3ObjectVersion").asText() : "null";
            if (!s3.containsKey(bucket + "/")) {
                throw s3Error("NoSuchBucket", "The specified bucket does not exist");
            }
            if (!s3.containsKey(bucket + "/" + key + "#null")) {
                throw s3Error("NoSuchKey", "The specified key does not exist.");
            }
            code = s3.get(bucket + "/" + key + "#" + objectVersion);
            if (code == null) {
                throw s3Error("NoSuchVersion", "The specified version does not exist.");
            }
        } else {
            throw new ApiError(400, "InvalidParameterValueException",
                    "Please provide a source for function code: ZipFile, S3Bucket and S3Key, or ImageUri.");
        }
        f.latestCode = code.clone();
        f.latestSha = codeSha256(code);
        f.latestRevision = UUID.randomUUID().toString();
        f.lastModified = now();
        // reported only once the update's time is up: until then it is InProgress
        f.updateFailure = f.pendingFailure;
        f.pendingFailure = null;
        f.updateEndsAtNanos = System.nanoTime() + updateDuration.toNanos();
        return configurationJson(f, "$LATEST", f.latestSha, f.latestCode.length, f.latestRevision, f.lastModified);
    }

    private static ApiError s3Error(String code, String message) {
        return new ApiError(400, "InvalidParameterValueException", "Error occurred while GetObject. S3 Error Code: "
                + code + ". S3 Error Message: " + message);
    }

    private synchronized ObjectNode configuration(String function, String qualifier) throws ApiError {
        Function f = existing(function);
        String q = qualifier == null ? "$LATEST" : qualifier;
        if (f.aliases.containsKey(q)) {
            q = f.aliases.get(q).version;
        }
        if (q.equals("$LATEST")) {
            return configurationJson(f, "$LATEST", f.latestSha, f.latestCode.length, f.latestRevision, f.lastModified);
        }
        Version v = f.versions.get(q);
        if (v == null) {
            throw new ApiError(404, "ResourceNotFoundException", "Function not found: " + f.arn() + ":" + q);
        }
        ObjectNode n = configurationJson(f, v.number(), v.codeSha256(), v.codeSize(), v.revisionId(), v.lastModified());
        n.put("LastUpdateStatus", "Successful");
        n.remove("LastUpdateStatusReason");
        n.remove("LastUpdateStatusReasonCode");
        return n;
    }

    private ObjectNode configurationJson(Function f, String version, String sha, long size, String revision, String modified) {
        ObjectNode n = JSON.createObjectNode();
        n.put("FunctionName", f.name);
        n.put("FunctionArn", version.equals("$LATEST") ? f.arn() : f.arn() + ":" + version);
        n.put("Runtime", "java17");
        n.put("Role", "arn:aws:iam::" + ACCOUNT + ":role/" + f.name);
        n.put("Handler", "orders.Handler::handleRequest");
        n.put("CodeSize", size);
        n.put("Description", "");
        n.put("Timeout", 30);
        n.put("MemorySize", 512);
        n.put("LastModified", modified);
        n.put("CodeSha256", sha);
        n.put("Version", version);
        n.put("RevisionId", revision);
        n.put("State", "Active");
        n.put("PackageType", "Zip");
        if (f.updating()) {
            n.put("LastUpdateStatus", "InProgress");
            n.put("LastUpdateStatusReason", "The function is being created.");
            n.put("LastUpdateStatusReasonCode", "Creating");
        } else if (f.updateFailure != null) {
            n.put("LastUpdateStatus", "Failed");
            n.put("LastUpdateStatusReason", f.updateFailure);
            n.put("LastUpdateStatusReasonCode", "InvalidZipFileException");
        } else {
            n.put("LastUpdateStatus", "Successful");
        }
        return n;
    }

    /** ListVersionsByFunction: {@code $LATEST} first, then the versions in order, {@code MaxItems} a page. */
    private synchronized ObjectNode listVersions(String function, String marker, String maxItems) throws ApiError {
        Function f = existing(function);
        List<ObjectNode> all = new ArrayList<>();
        all.add(configurationJson(f, "$LATEST", f.latestSha, f.latestCode.length, f.latestRevision, f.lastModified));
        for (Version v : f.versions.values()) {
            ObjectNode n = configurationJson(f, v.number(), v.codeSha256(), v.codeSize(), v.revisionId(), v.lastModified());
            n.put("LastUpdateStatus", "Successful");
            all.add(n);
        }
        int from = marker == null ? 0 : Integer.parseInt(marker);
        int size = maxItems == null ? 50 : Integer.parseInt(maxItems);
        ObjectNode out = JSON.createObjectNode();
        var list = out.putArray("Versions");
        all.subList(Math.min(from, all.size()), Math.min(from + size, all.size())).forEach(list::add);
        if (from + size < all.size()) {
            out.put("NextMarker", String.valueOf(from + size));
        }
        return out;
    }

    private synchronized ObjectNode publish(String function, JsonNode body) throws ApiError {
        Function f = existing(function);
        if (f.updating()) {
            throw new ApiError(409, "ResourceConflictException", "The operation cannot be performed at this time. "
                    + "An update is in progress for resource: " + f.arn());
        }
        if (f.updateFailure != null) {
            throw new ApiError(400, "InvalidParameterValueException",
                    "Cannot publish a version: the last update of " + f.arn() + " failed: " + f.updateFailure);
        }
        if (body.hasNonNull("CodeSha256") && !body.get("CodeSha256").asText().equals(f.latestSha)) {
            throw new ApiError(400, "InvalidParameterValueException", "CodeSHA256 (" + body.get("CodeSha256").asText()
                    + ") is different from current CodeSHA256 in $LATEST (" + f.latestSha
                    + "). Please try again with the current CodeSHA256.");
        }
        if (body.hasNonNull("RevisionId") && !body.get("RevisionId").asText().equals(f.latestRevision)) {
            throw new ApiError(412, "PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
        Version last = null;
        for (Version v : f.versions.values()) {
            last = v;
        }
        Version published = last;
        if (last == null || !last.codeSha256().equals(f.latestSha)) {
            String number = String.valueOf(f.versions.size() + 1);
            published = new Version(number, f.latestSha, f.latestCode.length, UUID.randomUUID().toString(), now());
            f.versions.put(number, published);
        }
        ObjectNode n = configurationJson(f, published.number(), published.codeSha256(), published.codeSize(),
                published.revisionId(), published.lastModified());
        n.put("LastUpdateStatus", "Successful");
        return n;
    }

    private void invoke(HttpExchange ex, String function, String qualifier, String invocationType, String payload)
            throws ApiError, IOException {
        String version;
        String sha;
        Handler handler;
        synchronized (this) {
            Function f = existing(function);
            String q = qualifier == null ? "$LATEST" : qualifier;
            if (f.aliases.containsKey(q)) {
                AliasState a = f.aliases.get(q);
                version = a.version;
                for (Map.Entry<String, Double> w : a.weights.entrySet()) {
                    if (routing.nextDouble() < w.getValue()) {
                        version = w.getKey();
                    }
                }
            } else {
                version = q;
            }
            if (version.equals("$LATEST")) {
                sha = f.latestSha;
            } else if (f.versions.containsKey(version)) {
                sha = f.versions.get(version).codeSha256();
            } else {
                throw new ApiError(404, "ResourceNotFoundException", "Function not found: " + f.arn() + ":" + version);
            }
            handler = f.versionHandlers.getOrDefault(version, codeHandlers.get(sha));
        }
        Invocation result = handler == null ? Invocation.ok("{\"status\":\"ok\"}") : handler.invoke(payload);
        invocations.computeIfAbsent(function + ":" + version, k -> new AtomicLong()).incrementAndGet();
        if (result.functionError() != null) {
            errors.computeIfAbsent(function + ":" + version, k -> new AtomicLong()).incrementAndGet();
            ex.getResponseHeaders().add("X-Amz-Function-Error", result.functionError());
        }
        ex.getResponseHeaders().add("X-Amz-Executed-Version", version);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        if ("Event".equals(invocationType)) {
            ex.sendResponseHeaders(202, -1);
            return;
        }
        byte[] out = result.payload().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
        ex.getResponseBody().write(out);
    }

    private static JsonNode parse(byte[] body) throws ApiError {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiError(400, "InvalidRequestContentException", "Could not parse request body into json: " + e.getMessage());
        }
    }

    private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] out = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    q.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
                }
            }
        }
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(LAST_MODIFIED);
    }
}
