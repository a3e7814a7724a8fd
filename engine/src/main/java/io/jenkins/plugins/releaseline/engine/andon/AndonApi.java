package io.jenkins.plugins.releaseline.engine.andon;

import io.jenkins.plugins.releaseline.engine.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Andon page's JSON API, free of any web framework: the plugin's root action and the engine's browser
 * test both hand it the request's form fields and send back what it answers. A refusal is a 4xx status with
 * {@code {"error": "..."}} naming the field; a change answers with the whole board, as {@link #state()} does.
 */
public final class AndonApi {

    private static final Logger LOGGER = Logger.getLogger(AndonApi.class.getName());
    public static final int HISTORY = 20;
    static final int MAX_EXPIRY_MINUTES = 60 * 24 * 365;

    /** What to send back: an HTTP status and a JSON body. */
    public record Response(int status, String json) {}

    private final FreezeBoard board;
    private final Clock clock;

    public AndonApi(FreezeBoard board, Clock clock) {
        this.board = Objects.requireNonNull(board, "board");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Response state() {
        return answer(() -> board.page(HISTORY));
    }

    /** Fields: {@code scope}, {@code stops}, {@code reason}, {@code link}, {@code expiresInMinutes}. */
    public Response pull(String principal, Function<String, String> form) {
        return answer(() -> {
            board.pull(principal, pullRequest(form, clock.instant()));
            return board.page(HISTORY);
        });
    }

    /** Fields: {@code id} ({@code 12} or {@code freeze-12}), {@code note}. */
    public Response release(String principal, Function<String, String> form) {
        return answer(() -> {
            board.release(principal, freezeId(form.apply("id")), form.apply("note"));
            return board.page(HISTORY);
        });
    }

    /** Break glass. Fields: {@code freeze} ({@code freeze-12} or {@code window:<name>}), {@code build}, {@code reason}. */
    public Response override(String principal, Function<String, String> form) {
        return answer(() -> {
            board.override(principal, form.apply("freeze"), form.apply("reason"), form.apply("build"));
            return board.page(HISTORY);
        });
    }

    /** Reads the pull form; every field is checked again by the board. */
    public static PullRequest pullRequest(Function<String, String> form, Instant now) {
        FreezeScope scope = FreezeScope.parse(form.apply("scope"));
        Stops stops = Stops.parse(form.apply("stops"));
        Instant expires = null;
        String minutes = form.apply("expiresInMinutes");
        if (minutes != null && !minutes.isBlank()) {
            long m;
            try {
                m = Long.parseLong(minutes.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expiresInMinutes: '" + minutes + "' is not a whole number of minutes");
            }
            if (m < 1 || m > MAX_EXPIRY_MINUTES) {
                throw new IllegalArgumentException("expiresInMinutes: " + m + " is outside 1.." + MAX_EXPIRY_MINUTES
                        + "; leave it empty to hold the freeze until someone releases it");
            }
            expires = now.plus(Duration.ofMinutes(m));
        }
        return new PullRequest(scope, stops, form.apply("reason"), form.apply("link"), expires);
    }

    public static long freezeId(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("id: name the freeze to release, as 12 or freeze-12");
        }
        String t = text.strip();
        try {
            return Long.parseLong(t.startsWith("freeze-") ? t.substring("freeze-".length()) : t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("id: '" + io.jenkins.plugins.releaseline.engine.store.Inputs.printable(t)
                    + "' names no freeze; use 12 or freeze-12");
        }
    }

    private interface Work {
        Object run();
    }

    private static Response answer(Work work) {
        try {
            return new Response(200, AndonJson.write(work.run()));
        } catch (NotPermittedException e) {
            return new Response(403, AndonJson.error(e.getMessage()));
        } catch (FreezeConflictException e) {
            return new Response(409, AndonJson.error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return new Response(400, AndonJson.error(e.getMessage()));
        } catch (StoreException e) {
            LOGGER.log(Level.WARNING, "The Andon board could not reach its store", e);
            return new Response(503, AndonJson.error("The Andon board cannot reach its database; nothing changed. " + e.getMessage()));
        }
    }
}
