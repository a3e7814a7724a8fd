package io.jenkins.plugins.releaseline.cli.rehearsal;

import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Steady requests through HAProxy's front, as users would send them, and what they saw: per second and per version
 * (read from each answer's body) the requests and the errors; and the canary's weight on the router over time.
 * These are the report's charts. The canary's analysis does not read them: it asks Prometheus or its own probes.
 */
final class Traffic implements AutoCloseable {

    /** Requests and errors of one version in one second. */
    static final class Count {
        int requests;
        int errors;
    }

    record WeightSample(double atSeconds, int canaryPercent) {}

    private final long startNanos;
    private final URI front;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService senders;
    private final ScheduledExecutorService sampler;
    private final TreeMap<Long, Map<String, Count>> perSecond = new TreeMap<>();
    private final List<WeightSample> weights = new ArrayList<>();
    private volatile boolean running = true;

    Traffic(long startNanos, String frontUrl, TrafficRouter router, int senderThreads) {
        this.startNanos = startNanos;
        this.front = URI.create(frontUrl);
        this.senders = Executors.newFixedThreadPool(senderThreads, r -> daemon(r, "rehearsal-traffic"));
        for (int i = 0; i < senderThreads; i++) {
            senders.execute(this::send);
        }
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rehearsal-weights"));
        sampler.scheduleWithFixedDelay(() -> {
            try {
                int canary = router.read().of("canary");
                synchronized (weights) {
                    weights.add(new WeightSample(seconds(), canary));
                }
            } catch (RouterException | IllegalStateException e) {
                // HAProxy is being stopped; the chart simply ends here
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void send() {
        HttpRequest request = HttpRequest.newBuilder(front).timeout(Duration.ofSeconds(5)).GET().build();
        while (running) {
            String version;
            boolean error;
            try {
                HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
                String[] words = resp.body().strip().split(" ");
                version = words.length >= 2 ? words[1] : "?";
                error = resp.statusCode() >= 500;
            } catch (IOException e) {
                version = "?";
                error = true;
            } catch (InterruptedException e) {
                return;
            }
            long second = (long) seconds();
            synchronized (perSecond) {
                Count c = perSecond.computeIfAbsent(second, s -> new TreeMap<>()).computeIfAbsent(version, v -> new Count());
                c.requests++;
                if (error) {
                    c.errors++;
                }
            }
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Per second, per version: a copy of what was seen so far. */
    TreeMap<Long, Map<String, int[]>> counts() {
        TreeMap<Long, Map<String, int[]>> copy = new TreeMap<>();
        synchronized (perSecond) {
            perSecond.forEach((s, m) -> {
                Map<String, int[]> row = new TreeMap<>();
                m.forEach((v, c) -> row.put(v, new int[] {c.requests, c.errors}));
                copy.put(s, row);
            });
        }
        return copy;
    }

    List<WeightSample> weights() {
        synchronized (weights) {
            return List.copyOf(weights);
        }
    }

    long totalRequests() {
        return counts().values().stream().flatMap(m -> m.values().stream()).mapToLong(c -> c[0]).sum();
    }

    @Override
    public void close() {
        running = false;
        sampler.shutdownNow();
        senders.shutdownNow();
        try {
            senders.awaitTermination(5, TimeUnit.SECONDS);
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
