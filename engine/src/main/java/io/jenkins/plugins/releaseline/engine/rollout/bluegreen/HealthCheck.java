package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An HTTP check of one colour before traffic goes to it: GET {@code url} until {@code consecutive} answers in a
 * row have status {@code expectStatus} (and a body matching {@code bodyPattern}, when given), each within
 * {@code requestTimeout}, all within {@code deadline}; {@code interval} apart. The report says what each attempt
 * saw, so a failure reads as "status 503 (unhealthy ...)" and not just "unhealthy".
 */
public record HealthCheck(URI url, int expectStatus, Pattern bodyPattern, int consecutive, Duration interval,
                          Duration requestTimeout, Duration deadline) {

    private static final int BODY_EXCERPT = 200;

    public HealthCheck {
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("url: '" + url + "' must be an http:// or https:// address");
        }
        if (expectStatus < 100 || expectStatus > 599) {
            throw new IllegalArgumentException("expect: " + expectStatus + " is not an HTTP status (100-599)");
        }
        if (consecutive < 1 || consecutive > 100) {
            throw new IllegalArgumentException("consecutive: " + consecutive + " is outside 1..100");
        }
        requirePositive("interval", interval, true);
        requirePositive("timeout", requestTimeout, false);
        requirePositive("deadline", deadline, false);
    }

    private static void requirePositive(String field, Duration d, boolean zeroAllowed) {
        if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException(field + ": must be a positive duration, was " + d);
        }
    }

    /** Status {@code expect}, 3 in a row, 1 s apart, 5 s per request, 2 minutes in all. */
    public static HealthCheck of(String url, int expect) {
        return new HealthCheck(URI.create(url), expect, null, 3, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(2));
    }

    public HealthCheck withBody(String regex) {
        try {
            return new HealthCheck(url, expectStatus, regex == null || regex.isEmpty() ? null : Pattern.compile(regex), consecutive,
                    interval, requestTimeout, deadline);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("body: '" + regex + "' is not a regular expression: " + e.getDescription());
        }
    }

    public HealthCheck withConsecutive(int n) {
        return new HealthCheck(url, expectStatus, bodyPattern, n, interval, requestTimeout, deadline);
    }

    public HealthCheck withTiming(Duration interval, Duration requestTimeout, Duration deadline) {
        return new HealthCheck(url, expectStatus, bodyPattern, consecutive, interval, requestTimeout, deadline);
    }

    public HealthCheck withUrl(String newUrl) {
        return new HealthCheck(URI.create(newUrl), expectStatus, bodyPattern, consecutive, interval, requestTimeout, deadline);
    }

    /** What the check saw: whether it passed, how many requests it made, and each attempt's outcome (the last 10). */
    public record Report(boolean passed, int attempts, int longestRun, List<String> lastOutcomes, String summary) {}

    /** Runs the check now, on the calling thread. */
    public Report run() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(requestTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        long end = System.nanoTime() + deadline.toNanos();
        int attempts = 0;
        int run = 0;
        int longest = 0;
        List<String> outcomes = new ArrayList<>();
        while (true) {
            attempts++;
            String failure = attempt(client);
            if (failure == null) {
                run++;
                longest = Math.max(longest, run);
                record(outcomes, "#" + attempts + " ok");
                if (run >= consecutive) {
                    return new Report(true, attempts, longest, outcomes, url + " answered " + expectStatus
                            + (bodyPattern == null ? "" : " matching /" + bodyPattern + "/") + " " + run + " times in a row");
                }
            } else {
                run = 0;
                record(outcomes, "#" + attempts + " " + failure);
            }
            if (System.nanoTime() + interval.toNanos() >= end) {
                return new Report(false, attempts, longest, outcomes, url + " did not answer " + expectStatus
                        + (bodyPattern == null ? "" : " matching /" + bodyPattern + "/") + " " + consecutive
                        + " times in a row within " + deadline.toSeconds() + " s (" + attempts + " attempts, longest run "
                        + longest + "); last: " + outcomes.get(outcomes.size() - 1));
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Report(false, attempts, longest, outcomes, "interrupted after " + attempts + " attempts");
            }
        }
    }

    /**
     * One request, bounded by {@code requestTimeout} for the connection and again for the whole answer (a server that
     * sends its headers and then stalls is cut off too). Null when it passed, else what was wrong.
     */
    public String attemptOnce() {
        return attempt(CLIENTS.computeIfAbsent(requestTimeout.toMillis(), ms -> HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(ms)).followRedirects(HttpClient.Redirect.NEVER).build()));
    }

    /** One client per timeout, shared: each JDK client keeps a selector thread until it is collected. */
    private static final java.util.concurrent.ConcurrentMap<Long, HttpClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Where a check stands between single attempts, as a driver stores it: the same counting and the same report as
     * {@link #run()}.
     */
    public record Progress(int attempts, int run, int longest, List<String> lastOutcomes) {
        public Progress {
            lastOutcomes = lastOutcomes == null ? List.of() : List.copyOf(lastOutcomes);
        }

        public static Progress none() {
            return new Progress(0, 0, 0, List.of());
        }

        /** After one more attempt ({@code failure} null: it passed). */
        public Progress after(String failure) {
            int n = attempts + 1;
            List<String> outcomes = new ArrayList<>(lastOutcomes);
            if (failure == null) {
                record(outcomes, "#" + n + " ok");
                return new Progress(n, run + 1, Math.max(longest, run + 1), outcomes);
            }
            record(outcomes, "#" + n + " " + failure);
            return new Progress(n, 0, longest, outcomes);
        }

        public boolean passed(HealthCheck check) {
            return run >= check.consecutive();
        }

        /** The report's words, as {@link #run()} gives them. */
        public String summary(HealthCheck check) {
            String what = check.expectStatus() + (check.bodyPattern() == null ? "" : " matching /" + check.bodyPattern() + "/");
            if (passed(check)) {
                return check.url() + " answered " + what + " " + run + " times in a row";
            }
            return check.url() + " did not answer " + what + " " + check.consecutive() + " times in a row within "
                    + check.deadline().toSeconds() + " s (" + attempts + " attempts, longest run " + longest + "); last: "
                    + (lastOutcomes.isEmpty() ? "none" : lastOutcomes.get(lastOutcomes.size() - 1));
        }
    }

    private String attempt(HttpClient client) {
        try {
            java.util.concurrent.CompletableFuture<HttpResponse<String>> f = client.sendAsync(
                    HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> r;
            try {
                r = f.get(requestTimeout.toMillis() * 2 + 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                f.cancel(true);
                return "no answer within " + requestTimeout.toMillis() + " ms";
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof java.net.http.HttpTimeoutException) {
                    return "no answer within " + requestTimeout.toMillis() + " ms";
                }
                return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            }
            String body = r.body() == null ? "" : r.body();
            if (r.statusCode() != expectStatus) {
                return "status " + r.statusCode() + " (expected " + expectStatus + "): " + excerpt(body);
            }
            if (bodyPattern != null && !bodyPattern.matcher(body).find()) {
                return "body does not match /" + bodyPattern + "/: " + excerpt(body);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private static String excerpt(String body) {
        String b = body.strip().replaceAll("\\s+", " ");
        return b.length() > BODY_EXCERPT ? b.substring(0, BODY_EXCERPT) + "..." : b;
    }

    private static void record(List<String> outcomes, String outcome) {
        outcomes.add(outcome);
        if (outcomes.size() > 10) {
            outcomes.remove(0);
        }
    }
}
