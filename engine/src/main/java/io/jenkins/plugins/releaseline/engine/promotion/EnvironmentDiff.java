package io.jenkins.plugins.releaseline.engine.promotion;

import java.util.List;
import java.util.Optional;

/**
 * How two environments differ: per artifact what runs in each, and the versions that went green in
 * {@code from} and never ran in {@code to} (what staging has that prod has not).
 */
public record EnvironmentDiff(String from, String to, List<Row> rows, List<Promotion> notYetIn) {

    /** One artifact: what runs in each environment; {@code same} when both run the same digest. */
    public record Row(String artifact, Optional<Deployment> inFrom, Optional<Deployment> inTo) {
        public boolean same() {
            return inFrom.isPresent() && inTo.isPresent()
                    && inFrom.get().artifact().digest().equals(inTo.get().artifact().digest());
        }
    }
}
