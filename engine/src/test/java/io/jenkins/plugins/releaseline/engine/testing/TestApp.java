package io.jenkins.plugins.releaseline.engine.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One version of a small application, as a deployment would run it: a JDK {@link HttpServer} on a free
 * loopback port answering every request with its colour and version (body {@code colour=blue version=1.0},
 * header {@code X-Colour}). Switches make it unhealthy (every request answers 503), slow (each answer is
 * delayed), or failing a fraction of requests with 500 (exactly that fraction, spread evenly).
 * {@code /health} answers 200 "ok" unless the app is unhealthy; {@code /metrics} answers Prometheus text
 * ({@code app_requests_total{code=...}}, {@code app_request_duration_seconds} histogram). Neither counts as traffic.
 */
public final class TestApp implements AutoCloseable {

    static {
        // The JDK server answers in several small writes; without TCP_NODELAY the second waits for the client's delayed
        // ACK, about 40 ms, so a keep-alive connection managed some 90 requests a second. The property is read once, when
        // the JDK's server configuration class loads, so it is set before this class creates its first server; a value
        // given on the command line wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public static final String COLOUR_HEADER = "X-Colour";
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private final String colour;
    private final String version;
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean healthy = true;
    private volatile long delayNanos;
    private volatile double failFraction;
    private final AtomicLong trafficSeq = new AtomicLong();
    private final LongAdder served = new LongAdder();
    private final Map<Integer, LongAdder> byCode = new ConcurrentHashMap<>();
    private final LongAdder[] bucketCounts = new LongAdder[BUCKETS.length];
    private final LongAdder durationMicros = new LongAdder();

    private TestApp(String colour, String version, int port) throws IOException {
        this.colour = colour;
        this.version = version;
        for (int i = 0; i < bucketCounts.length; i++) {
            bucketCounts[i] = new LongAdder();
        }
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        this.executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "test-app-" + colour);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on a free loopback port. */
    public static TestApp start(String colour, String version) {
        return start(colour, version, 0);
    }

    /** Starts on the given loopback port (0: any free one). */
    public static TestApp start(String colour, String version, int port) {
        try {
            return new TestApp(colour, version, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the test app '" + colour + "' on 127.0.0.1:" + port, e);
        }
    }

    public String colour() {
        return colour;
    }

    public String version() {
        return version;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** {@code false}: every request, {@code /health} included, answers 503. */
    public TestApp healthy(boolean healthy) {
        this.healthy = healthy;
        return this;
    }

    /** Delays every traffic answer by {@code delay} (0 for none). */
    public TestApp delay(Duration delay) {
        this.delayNanos = delay.toNanos();
        return this;
    }

    /** Answers this fraction (0.0 to 1.0) of traffic requests with 500, spread evenly: 0.05 fails 1 in 20. */
    public TestApp failFraction(double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("fraction: " + fraction + " is outside 0.0..1.0");
        }
        this.failFraction = fraction;
        return this;
    }

    /** Traffic requests answered so far (health and metrics requests not counted). */
    public long served() {
        return served.sum();
    }

    /** Traffic requests answered with this status code so far. */
    public long served(int code) {
        LongAdder a = byCode.get(code);
        return a == null ? 0 : a.sum();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            if (!healthy) {
                respond(ex, 503, "unhealthy colour=" + colour + " version=" + version);
                return;
            }
            if (path.equals("/health")) {
                respond(ex, 200, "ok colour=" + colour + " version=" + version);
                return;
            }
            if (path.equals("/metrics")) {
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                respond(ex, 200, metrics());
                return;
            }
            long start = System.nanoTime();
            long delay = delayNanos;
            if (delay > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long n = trafficSeq.incrementAndGet();
            double f = failFraction;
            boolean fail = f > 0 && Math.floor(n * f) > Math.floor((n - 1) * f);
            int code = fail ? 500 : 200;
            respond(ex, code, (fail ? "failed " : "") + "colour=" + colour + " version=" + version);
            served.increment();
            byCode.computeIfAbsent(code, k -> new LongAdder()).increment();
            double seconds = (System.nanoTime() - start) / 1e9;
            durationMicros.add((long) (seconds * 1e6));
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    bucketCounts[i].increment();
                }
            }
        }
    }

    private void respond(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set(COLOUR_HEADER, colour);
        ex.getResponseHeaders().set("X-Version", version);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String metrics() {
        StringBuilder sb = new StringBuilder();
        String labels = "colour=\"" + colour + "\",version=\"" + version + "\"";
        sb.append("# TYPE app_requests_total counter\n");
        byCode.forEach((code, n) -> sb.append("app_requests_total{").append(labels).append(",code=\"").append(code)
                .append("\"} ").append(n.sum()).append('\n'));
        sb.append("# TYPE app_request_duration_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            sb.append("app_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(BUCKETS[i])
                    .append("\"} ").append(bucketCounts[i].sum()).append('\n');
        }
        long count = served.sum();
        sb.append("app_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ").append(count).append('\n');
        sb.append("app_request_duration_seconds_sum{").append(labels).append("} ").append(durationMicros.sum() / 1e6).append('\n');
        sb.append("app_request_duration_seconds_count{").append(labels).append("} ").append(count).append('\n');
        return sb.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
