package io.jenkins.plugins.releaseline.engine.andon;

import java.time.Duration;
import java.util.List;

/**
 * What happened to one freeze, for a postmortem: pulled, work held back (how much, from when to when),
 * extensions, break-glass overrides, and its release or expiry; each entry with its time since the pull.
 *
 * @param duration how long it has held (until now, if still active)
 */
public record Timeline(Freeze freeze, List<Entry> entries, long blockedCount, Duration duration) {

    public enum Kind { PULLED, BLOCKED, EXTENDED, OVERRIDE, RELEASED, EXPIRED }

    /**
     * @param count      for {@code BLOCKED}: how many pieces of work were held back
     * @param sincePull  time from the pull to this entry
     */
    public record Entry(java.time.Instant at, Kind kind, String principal, String text, String build, long count,
                        Duration sincePull) {}
}
