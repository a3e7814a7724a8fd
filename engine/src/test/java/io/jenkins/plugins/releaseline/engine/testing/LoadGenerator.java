package io.jenkins.plugins.releaseline.engine.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady HTTP load on a loopback URL: {@code workers} threads each sending GET requests one after another
 * (with an optional pause between them) through one JDK {@link HttpClient} with keep-alive connections.
 * Every answer is recorded with its send and receive time ({@link System#nanoTime()}), its status and the
 * colour that served it ({@code X-Colour} header). A request fails when it gets no answer (a reset, a timeout)
 * or a status other than 2xx; failures are counted, never retried by this class. The generator stops by itself
 * after {@code maxDuration} or {@code maxRequests}, whichever comes first.
 */
public final class LoadGenerator implements AutoCloseable {

    /** One request: when it was sent and answered (nanoTime), the status (-1 when none came) and the colour. */
    public record Sample(long sentNanos, long answeredNanos, int status, String colour, String error) {
        public boolean failed() {
            return status < 200 || status > 299;
        }
    }

    private static final int MAX_ERRORS_KEPT = 20;

    private final URI uri;
    private final HttpClient client;
    private final ExecutorService pool;
    private final ExecutorService clientExecutor;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger errorsKept = new AtomicInteger();
    private final CountDownLatch done;
    private final long deadlineNanos;
    private final long maxRequests;
    private final long pauseNanos;
    private final Duration requestTimeout;
    private volatile boolean stopping;

    private LoadGenerator(URI uri, int workers, Duration pause, Duration maxDuration, long maxRequests, Duration requestTimeout) {
        this.uri = uri;
        this.pauseNanos = pause.toNanos();
        this.maxRequests = maxRequests;
        this.requestTimeout = requestTimeout;
        this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
        this.clientExecutor = Executors.newFixedThreadPool(2, daemon("load-client"));
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(clientExecutor)
                .build();
        this.pool = Executors.newFixedThreadPool(workers, daemon("load-worker"));
        this.done = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            pool.execute(this::work);
        }
    }

    /**
     * Starts sending at once. {@code pause} is each worker's wait between an answer and its next request
     * (zero: as fast as the server answers).
     */
    public static LoadGenerator start(String url, int workers, Duration pause, Duration maxDuration, long maxRequests) {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers: " + workers + " is outside 1..64");
        }
        URI u = URI.create(url);
        if (!"127.0.0.1".equals(u.getHost()) && !"localhost".equals(u.getHost())) {
            throw new IllegalArgumentException("url: the load generator sends to loopback only, not " + u.getHost());
        }
        return new LoadGenerator(u, workers, pause, maxDuration, maxRequests, Duration.ofSeconds(10));
    }

    private void work() {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
            while (!stopping && System.nanoTime() < deadlineNanos && sent.incrementAndGet() <= maxRequests) {
                long t0 = System.nanoTime();
                Sample s;
                try {
                    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                    s = new Sample(t0, System.nanoTime(), r.statusCode(), r.headers().firstValue(TestApp.COLOUR_HEADER).orElse(""),
                            r.statusCode() / 100 == 2 ? null : "status " + r.statusCode() + ": " + r.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    sent.decrementAndGet();
                    return;
                } catch (Exception e) {
                    s = new Sample(t0, System.nanoTime(), -1, "", e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                samples.add(s);
                if (s.failed()) {
                    failed.incrementAndGet();
                    if (errorsKept.incrementAndGet() <= MAX_ERRORS_KEPT) {
                        errors.add(s.error());
                    }
                }
                if (pauseNanos > 0) {
                    TimeUnit.NANOSECONDS.sleep(pauseNanos);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.countDown();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Requests answered or failed so far. */
    public long sent() {
        return samples.size();
    }

    public long failed() {
        return failed.get();
    }

    /** The first failures' descriptions (at most 20), to say what went wrong. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Successful answers per colour. */
    public Map<String, Long> byColour() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (!s.failed()) {
                m.merge(s.colour(), 1L, Long::sum);
            }
        }
        return m;
    }

    /** Every sample so far, in the order answers were recorded. */
    public List<Sample> samples() {
        return Collections.unmodifiableList(new ArrayList<>(samples));
    }

    /** The first successful answer from {@code colour} received at or after {@code sinceNanos}. */
    public Optional<Sample> firstAnsweredBy(String colour, long sinceNanos) {
        Sample best = null;
        for (Sample s : samples) {
            if (!s.failed() && s.colour().equals(colour) && s.answeredNanos() >= sinceNanos
                    && (best == null || s.answeredNanos() < best.answeredNanos())) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Successful answers from {@code colour} to requests sent at or after {@code sinceNanos} and answered before {@code untilNanos}. */
    public long answeredBy(String colour, long sinceNanos, long untilNanos) {
        long n = 0;
        for (Sample s : samples) {
            if (!s.failed() && s.colour().equals(colour) && s.sentNanos() >= sinceNanos && s.answeredNanos() < untilNanos) {
                n++;
            }
        }
        return n;
    }

    /** Waits until at least {@code n} more answers have come in than {@code since}, or the timeout passes. */
    public boolean awaitAnswers(long since, long n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (samples.size() < since + n) {
            if (System.nanoTime() > end || done.getCount() == 0) {
                return samples.size() >= since + n;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** Waits until the generator has stopped by itself (its bound reached). */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops sending, waits for requests in flight to finish and be recorded. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        done.await(requestTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        pool.shutdownNow();
        clientExecutor.shutdownNow();
    }

    @Override
    public String toString() {
        return "sent " + sent() + ", failed " + failed() + ", by colour " + byColour() + (errors.isEmpty() ? "" : ", first errors " + errors());
    }
}
