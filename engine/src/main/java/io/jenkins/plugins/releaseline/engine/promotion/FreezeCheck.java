package io.jenkins.plugins.releaseline.engine.promotion;

import java.util.List;
import java.util.Objects;

/**
 * Asks whether deployments are frozen (an Andon cord pulled, a freeze window open). The Andon board answers it
 * through {@code engine.andon.AndonFreezeCheck}, given to the {@link PromotionEngine} where it is built (the plugin's
 * {@code PromotionService}, the command line's {@code Engines}); the {@link FreezeGate} only asks.
 */
@FunctionalInterface
public interface FreezeCheck {

    /**
     * @param environment the environment being deployed to
     * @param jobPath     the job that deploys, such as {@code team-a/app/main}; may be {@code null}
     * @param principal   who deploys
     */
    Answer check(String environment, String jobPath, String principal);

    /** Blocked or not, and every reason it is blocked (each freeze that applies, with who set it and why). */
    record Answer(boolean blocked, List<String> reasons) {
        public Answer {
            reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
            if (blocked && reasons.isEmpty()) {
                throw new IllegalArgumentException("reasons: a blocked answer must say why");
            }
        }

        public static Answer clear() {
            return new Answer(false, List.of());
        }

        public static Answer blocked(List<String> reasons) {
            return new Answer(true, reasons);
        }
    }
}
