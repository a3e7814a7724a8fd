package io.jenkins.plugins.releaseline.engine.promotion;

import java.time.Duration;

/** Durations the way people read them: "3h 12m", "45s", "2d 4h". */
public final class Durations {

    private Durations() {}

    public static String human(Duration d) {
        long seconds = Math.max(0, (d.toMillis() + 999) / 1000);
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        long secs = seconds % 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        if (minutes > 0) {
            return minutes + "m" + (secs > 0 ? " " + secs + "s" : "");
        }
        return secs + "s";
    }
}
