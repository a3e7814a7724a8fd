package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.Objects;

/**
 * What a canary rollout is to do: which router, which of its backends is stable and which the canary, the
 * labels the metric sources know them by (what {@code {{version}}} becomes; by default the backend names),
 * and the plan.
 *
 * @param id a name for this rollout that its caller can find again after a restart (e.g. {@code app/main#42})
 */
public record CanarySpec(String id, String router, String stableBackend, String canaryBackend, String stableLabel,
                         String canaryLabel, CanaryPlan plan) {

    public static final int MAX_ID = 200;

    public CanarySpec {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id: must name the rollout, e.g. the job and build number");
        }
        Inputs.rejectControlCharacters("id", id, false);
        Inputs.requireLength("id", id, MAX_ID);
        Inputs.requireName("router", router, 100);
        Inputs.requireName("stable", stableBackend, 100);
        Inputs.requireName("canary", canaryBackend, 100);
        if (stableBackend.equals(canaryBackend)) {
            throw new IllegalArgumentException("canary: '" + canaryBackend + "' is also the stable backend; name two different backends");
        }
        stableLabel = label("stableLabel", stableLabel, stableBackend);
        canaryLabel = label("canaryLabel", canaryLabel, canaryBackend);
        Objects.requireNonNull(plan, "plan");
    }

    private static String label(String field, String value, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Inputs.rejectControlCharacters(field, value, false);
        return Inputs.requireLength(field, value, 200);
    }

    public static CanarySpec of(String id, String router, String stable, String canary, CanaryPlan plan) {
        return new CanarySpec(id, router, stable, canary, null, null, plan);
    }
}
