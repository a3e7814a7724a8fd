package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one blue-green rollout is to do, as its driver stores it: where, which version, who asked, whether a deploy body
 * runs first (the command line switches a colour deployed already), the checks and how to switch. Every value is checked
 * when the plan is made, so that a mistake is refused before anything happens.
 *
 * @param targetUrls each colour's own URL: given to the deploy body as {@code RELEASE_LINE_TARGET_URL}, and checked when
 *                   the health check names no URL
 */
public record BlueGreenPlan(String environment, String version, String principal, boolean deployBody,
                            Map<String, String> targetUrls, Check healthCheck, Check frontCheck, List<Integer> steps,
                            long stepPauseMillis, long keepWarmMillis) {

    public BlueGreenPlan {
        targetUrls = targetUrls == null ? Map.of() : Map.copyOf(targetUrls);
        if (healthCheck == null) {
            throw new IllegalArgumentException("healthCheck: required");
        }
        steps = new BlueGreenController.SwitchOptions(steps, Duration.ofMillis(stepPauseMillis), Duration.ofMillis(keepWarmMillis),
                null).steps();
    }

    /**
     * An HTTP check as stored: {@code url} may hold {@code {color}}, replaced by the colour checked; a null url means the
     * colour's {@code targetUrls} entry (its root path when the entry has no path).
     */
    public record Check(String url, int expect, String body, int consecutive, long intervalMillis, long timeoutMillis,
                        long deadlineMillis) {

        public static Check of(HealthCheck c) {
            return new Check(c.url().toString(), c.expectStatus(), c.bodyPattern() == null ? null : c.bodyPattern().pattern(),
                    c.consecutive(), c.interval().toMillis(), c.requestTimeout().toMillis(), c.deadline().toMillis());
        }

        /** The engine's check of {@code colour}; IllegalArgumentException naming the field for a bad value. */
        public HealthCheck resolve(String colour, Map<String, String> targetUrls) {
            String u = url;
            if (u == null) {
                String base = targetUrls.get(colour);
                if (base == null) {
                    throw new IllegalArgumentException("healthCheck.url: give the URL to check, or a targetUrls entry for " + colour
                            + " in the router");
                }
                String path = URI.create(base).getPath();
                u = path == null || path.isEmpty() ? base + "/" : base;
            }
            HealthCheck check = new HealthCheck(URI.create(u.replace("{color}", colour)), expect, null, consecutive,
                    Duration.ofMillis(intervalMillis), Duration.ofMillis(timeoutMillis), Duration.ofMillis(deadlineMillis));
            return check.withBody(body);
        }
    }

    public BlueGreenController.SwitchOptions switchOptions() {
        return new BlueGreenController.SwitchOptions(steps, Duration.ofMillis(stepPauseMillis), Duration.ofMillis(keepWarmMillis), null);
    }

    /** Checks every colour's checks resolve (a URL for each, values in range); throws IllegalArgumentException. */
    public BlueGreenPlan validate(List<String> colours) {
        for (String colour : colours) {
            healthCheck.resolve(colour, targetUrls);
            if (frontCheck != null) {
                if (frontCheck.url() == null) {
                    throw new IllegalArgumentException("frontCheck.url: give the URL of the router's front");
                }
                frontCheck.resolve(colour, targetUrls);
            }
        }
        return this;
    }
}
