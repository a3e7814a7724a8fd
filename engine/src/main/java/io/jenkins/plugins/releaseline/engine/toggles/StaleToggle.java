package io.jenkins.plugins.releaseline.engine.toggles;

import java.time.Duration;
import java.time.Instant;

/**
 * A toggle that has served one answer in every environment for a while, so its code path can be made permanent
 * and the toggle removed: {@code state} says which answer ("on at 100% everywhere", "off everywhere", or a
 * variant served everywhere).
 */
public record StaleToggle(String key, String owner, String description, String state, Instant since, Duration unchangedFor) {}
