package io.jenkins.plugins.releaseline.engine.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand. Thread-safe. */
public final class TestClock extends Clock {
    private volatile Instant now;
    private final ZoneId zone;

    public TestClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    public TestClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    public synchronized Instant advance(Duration d) {
        now = now.plus(d);
        return now;
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new TestClock(now, z);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
