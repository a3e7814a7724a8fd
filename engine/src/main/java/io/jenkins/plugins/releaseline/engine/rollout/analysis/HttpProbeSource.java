package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The built-in metrics, for deployments without a monitoring stack: at each analysis the engine itself sends
 * {@code probes} GET requests to the baseline and to the canary (interleaved, {@code concurrency} at a time)
 * and measures each answer (after a few unmeasured warm-up requests to each). A metric's query is {@code error-rate} or {@code latency}, optionally followed by
 * a path ({@code latency /api/orders}; default {@code /}):
 * <ul>
 *   <li>{@code error-rate}: one sample per probe, 1 for a 5xx answer or none at all (refused, timed out), else 0;</li>
 *   <li>{@code latency}: milliseconds to the full answer of each probe; a probe that got no answer (timed out,
 *       refused) took forever: its sample is {@code +Inf}, the worst value, so a canary that stops answering
 *       never looks fast by leaving out its slowest requests.</li>
 * </ul>
 * Both metrics of one path share the probes of an analysis. The path goes under each URL's own path:
 * {@code http://10.0.0.5:8080/orders} with {@code latency /health} probes {@code http://10.0.0.5:8080/orders/health}
 * (a service behind a path prefix), and the default {@code /} probes {@code http://10.0.0.5:8080/orders/}.
 */
public final class HttpProbeSource implements MetricSource {

    public static final String ID = "probes";

    /** One probe: its status (-1 when no answer came) and the milliseconds it took. */
    record Probe(int status, double millis) {
        boolean error() {
            return status < 0 || status >= 500;
        }
    }

    private final String id;
    private final Map<String, URI> targets;
    private final int probes;
    private final int concurrency;
    private final Duration timeout;
    private final HttpClient client;
    private final Map<String, List<Probe>> lastBurst = new LinkedHashMap<>();
    private AnalysisContext lastContext;

    /**
     * @param targets each side's base URL by its label (the router's backend name): e.g.
     *                {@code stable -> http://10.0.0.5:8080}, {@code canary -> http://10.0.0.6:8080}
     */
    public HttpProbeSource(String id, Map<String, URI> targets, int probes, int concurrency, Duration timeout) {
        this.id = Objects.requireNonNull(id, "id");
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("probes: give the URL of the baseline and of the canary");
        }
        targets.forEach((label, uri) -> {
            if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("probes: the URL of '" + label + "' (" + uri + ") must be http(s)");
            }
        });
        if (probes < 1 || probes > 100_000) {
            throw new IllegalArgumentException("probes: " + probes + " probes per side is outside 1..100000");
        }
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("probes: concurrency " + concurrency + " is outside 1..64");
        }
        this.targets = Map.copyOf(targets);
        this.probes = probes;
        this.concurrency = concurrency;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** 200 probes a side, 4 at a time, 5 s timeout. */
    public static HttpProbeSource of(Map<String, URI> targets) {
        return new HttpProbeSource(ID, targets, 200, 4, Duration.ofSeconds(5));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public synchronized MetricSamples measure(CanaryMetric metric, AnalysisContext ctx) {
        String[] q = metric.query().strip().split("\\s+", 2);
        String measure = q[0];
        String path = q.length > 1 ? q[1] : "/";
        if (!measure.equals("error-rate") && !measure.equals("latency")) {
            throw new IllegalArgumentException("metric " + metric.name() + ": query '" + metric.query()
                    + "' is not a probe measure; use 'error-rate [path]' or 'latency [path]'");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("metric " + metric.name() + ": probe path '" + path + "' must start with '/'");
        }
        URI canary = target(ctx.canaryLabel());
        URI baseline = target(ctx.baselineLabel());
        if (!ctx.equals(lastContext)) {
            lastBurst.clear();
            lastContext = ctx;
        }
        String key = path;
        List<Probe> canaryProbes = lastBurst.get("c" + key);
        List<Probe> baselineProbes = lastBurst.get("b" + key);
        if (canaryProbes == null || baselineProbes == null) {
            List<List<Probe>> both = burst(under(canary, path), under(baseline, path));
            canaryProbes = both.get(0);
            baselineProbes = both.get(1);
            lastBurst.put("c" + key, canaryProbes);
            lastBurst.put("b" + key, baselineProbes);
        }
        boolean errors = measure.equals("error-rate");
        return MetricSamples.of(samples(canaryProbes, errors), samples(baselineProbes, errors));
    }

    /** {@code path} under the target's own path, never in place of it (which {@link URI#resolve} would do). */
    static URI under(URI target, String path) {
        String base = target.getRawPath() == null ? "" : target.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
        return URI.create(target.getScheme() + "://" + target.getRawAuthority() + base + path + query);
    }

    private URI target(String label) {
        URI u = targets.get(label);
        if (u == null) {
            throw new MetricSourceException("probes: no URL for '" + label + "'; known: " + targets.keySet());
        }
        return u;
    }

    private static double[] samples(List<Probe> probes, boolean errors) {
        double[] out = new double[probes.size()];
        int n = 0;
        for (Probe p : probes) {
            if (errors) {
                out[n++] = p.error() ? 1 : 0;
            } else {
                out[n++] = p.status() >= 0 ? p.millis() : Double.POSITIVE_INFINITY;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private List<List<Probe>> burst(URI canary, URI baseline) {
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "canary-probe-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            // A few unmeasured requests first: the first answers of an idle server measure its wake-up, not the version.
            int warmup = Math.min(20, Math.max(2, probes / 10));
            List<Future<Probe>> warm = new ArrayList<>();
            for (int i = 0; i < warmup; i++) {
                warm.add(pool.submit(() -> probe(canary)));
                warm.add(pool.submit(() -> probe(baseline)));
            }
            collect(warm);
            List<Future<Probe>> c = new ArrayList<>(probes);
            List<Future<Probe>> b = new ArrayList<>(probes);
            for (int i = 0; i < probes; i++) {
                c.add(pool.submit(() -> probe(canary)));
                b.add(pool.submit(() -> probe(baseline)));
            }
            return List.of(collect(c), collect(b));
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Probe> collect(List<Future<Probe>> futures) {
        List<Probe> out = new ArrayList<>(futures.size());
        for (Future<Probe> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MetricSourceException("interrupted while probing", e);
            } catch (ExecutionException e) {
                throw new MetricSourceException("a probe failed unexpectedly: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    private Probe probe(URI uri) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Probe(r.statusCode(), (System.nanoTime() - t0) / 1e6);
        } catch (IOException e) {
            return new Probe(-1, (System.nanoTime() - t0) / 1e6);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(-1, (System.nanoTime() - t0) / 1e6);
        }
    }

    @Override
    public String toString() {
        return "HTTP probes " + id + " " + targets;
    }
}
