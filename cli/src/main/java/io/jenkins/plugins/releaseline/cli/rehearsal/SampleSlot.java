package io.jenkins.plugins.releaseline.cli.rehearsal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One slot of the sample application: the release deployed to it, and the requests it served. It answers
 * {@code sample-app <version>}, or status 500 with {@code sample-app <version> failed} for the share of requests the
 * release fails; 503 while nothing is deployed.
 */
final class SampleSlot {

    final String name;
    volatile SampleRelease release;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    SampleSlot(String name, SampleRelease release) {
        this.name = name;
        this.release = release;
    }

    void serve(HttpExchange ex) throws IOException {
        SampleRelease r = release;
        if (r == null) {
            answer(ex, 503, "nothing is deployed to the " + name + " slot");
            return;
        }
        if (r.fails(requests.incrementAndGet())) {
            failed.incrementAndGet();
            answer(ex, 500, "sample-app " + r.version() + " failed");
        } else {
            answer(ex, 200, "sample-app " + r.version());
        }
    }

    String json() {
        SampleRelease r = release;
        return "{\"version\":" + (r == null ? "null" : "\"" + r.version() + "\"") + ",\"errorsPercent\":"
                + (r == null ? 0 : r.errorsPerHundred()) + ",\"requests\":" + requests.get() + ",\"failed\":" + failed.get() + "}";
    }

    static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
