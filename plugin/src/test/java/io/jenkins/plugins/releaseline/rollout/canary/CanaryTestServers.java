package io.jenkins.plugins.releaseline.rollout.canary;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** A stable and a canary version on loopback for the probes: the canary can be told to fail every 10th request. */
final class CanaryTestServers implements AutoCloseable {

    private final HttpServer stable;
    private final HttpServer canary;
    private final AtomicLong canaryRequests = new AtomicLong();
    volatile boolean canaryBad;

    CanaryTestServers() {
        try {
            stable = start("stable", false);
            canary = start("canary", true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpServer start(String name, boolean isCanary) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        s.setExecutor(Executors.newFixedThreadPool(8));
        s.createContext("/", ex -> {
            try (ex) {
                boolean fail = isCanary && canaryBad && canaryRequests.incrementAndGet() % 10 == 0;
                byte[] body = (name + (fail ? " failed" : " ok")).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(fail ? 500 : 200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        s.start();
        return s;
    }

    String stableUrl() {
        return "http://127.0.0.1:" + stable.getAddress().getPort();
    }

    String canaryUrl() {
        return "http://127.0.0.1:" + canary.getAddress().getPort();
    }

    /** The probes argument of canaryDeploy for these two servers. */
    String probes() {
        return "probes: [stable: '" + stableUrl() + "', canary: '" + canaryUrl() + "', count: 60]";
    }

    @Override
    public void close() {
        stable.stop(0);
        canary.stop(0);
    }
}
