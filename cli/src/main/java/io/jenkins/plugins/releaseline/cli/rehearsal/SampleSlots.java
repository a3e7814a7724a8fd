package io.jenkins.plugins.releaseline.cli.rehearsal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sample application with two slots on one port of 127.0.0.1, for pipelines that route traffic themselves:
 * {@code /stable/} and {@code /canary/} answer as the release deployed to that slot (what probes measure), and
 * {@code /} is the front door, which sends the canary its weight's share of the requests (spread evenly: 10% is
 * every tenth request) and the rest to stable. A slot with nothing deployed answers 503. {@code /health} answers
 * 200; {@code /status} gives the slots, the weight and the requests each slot served, as JSON.
 */
public final class SampleSlots implements AutoCloseable {

    static {
        // The JDK server answers in several small writes; without TCP_NODELAY the second waits for the client's delayed
        // ACK, about 40 ms, so a keep-alive connection managed some 90 requests a second. The property is read once, when
        // the JDK's server configuration class loads, so it is set before this class creates its first server; a value
        // given on the command line wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SampleSlot stable = new SampleSlot("stable", null);
    private final SampleSlot canary = new SampleSlot("canary", null);
    private final AtomicLong frontRequests = new AtomicLong();
    private volatile int canaryWeight;
    private final HttpServer server;
    private final ExecutorService workers;

    private SampleSlots(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        workers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "sample-app");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/stable", stable::serve);
        server.createContext("/canary", canary::serve);
        server.createContext("/health", ex -> SampleSlot.answer(ex, 200, "ok"));
        server.createContext("/status", ex -> {
            byte[] body = status().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/", ex -> {
            int w = canaryWeight;
            long n = frontRequests.incrementAndGet();
            boolean toCanary = n * w / 100 != (n - 1) * w / 100;
            (toCanary ? canary : stable).serve(ex);
        });
        server.start();
    }

    /** Starts on {@code port} of 127.0.0.1 (0: a free one). */
    public static SampleSlots start(int port) {
        try {
            return new SampleSlots(port);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the sample application on 127.0.0.1:" + port
                    + (port == 0 ? "" : " (is the port taken? choose another with --port, or 0 for a free one)"), e);
        }
    }

    /** Puts {@code release} in slot {@code stable} or {@code canary}. */
    public void deploy(String slot, SampleRelease release) {
        slot(slot).release = release;
    }

    public SampleRelease release(String slot) {
        return slot(slot).release;
    }

    /** The canary's share of the front door's requests, 0 to 100. */
    public void canaryWeight(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("canary weight: " + percent + " is outside 0..100");
        }
        canaryWeight = percent;
    }

    public int canaryWeight() {
        return canaryWeight;
    }

    private SampleSlot slot(String name) {
        return switch (name) {
            case "stable" -> stable;
            case "canary" -> canary;
            default -> throw new IllegalArgumentException("slot: '" + name + "' is not stable or canary");
        };
    }

    public String status() {
        return "{\"stable\":" + stable.json() + ",\"canary\":" + canary.json() + ",\"canaryWeight\":" + canaryWeight + "}";
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
