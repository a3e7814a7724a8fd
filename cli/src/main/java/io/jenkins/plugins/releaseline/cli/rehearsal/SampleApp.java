package io.jenkins.plugins.releaseline.cli.rehearsal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The rehearsal's sample application: one slot (stable or canary) on 127.0.0.1 that serves whichever version was
 * last deployed to it. {@code GET /} answers {@code sample-app <version>}, or, for the share of requests the
 * version fails, status 500 with {@code sample-app <version> failed}; {@code GET /health} answers 200. Failures
 * are spread evenly over the requests (30% fails 3 of every 10), so a run is repeatable.
 */
public final class SampleApp implements AutoCloseable {

    static {
        // The JDK server answers in several small writes; without TCP_NODELAY the second waits for the client's delayed
        // ACK, about 40 ms, so a keep-alive connection managed some 90 requests a second. The property is read once, when
        // the JDK's server configuration class loads, so it is set before this class creates its first server; a value
        // given on the command line wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SampleSlot slot;
    private final HttpServer server;
    private final ExecutorService workers;

    private SampleApp(String slot, String version) throws IOException {
        this.slot = new SampleSlot(slot, new SampleRelease(version, 0));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "rehearsal-app-" + slot);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/health", ex -> SampleSlot.answer(ex, 200, "ok " + this.slot.release.version()));
        server.createContext("/", this.slot::serve);
        server.start();
    }

    public static SampleApp start(String slot, String version) {
        try {
            return new SampleApp(slot, version);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the sample application's " + slot + " slot on 127.0.0.1", e);
        }
    }

    /** Puts another version in this slot: what a deployment job would do. */
    public void deploy(String version, double failShare) {
        if (failShare < 0 || failShare > 1) {
            throw new IllegalArgumentException("failShare: " + failShare + " is outside 0..1");
        }
        slot.release = new SampleRelease(version, (int) Math.round(failShare * 100));
    }

    public String version() {
        return slot.release.version();
    }

    public String slot() {
        return slot.name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
