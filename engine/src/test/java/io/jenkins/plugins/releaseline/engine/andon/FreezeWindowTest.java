package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Scheduled windows read as a person reading the schedule expects, across DST changes too. */
class FreezeWindowTest {

    static FreezeWindow weekend() {
        return FreezeWindow.recurring("weekend", FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, null, "0 23 * * 5", "0 7 * * 1", "Europe/Berlin");
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void theWeekendWindowIsOpenFromFridayNightToMondayMorningLocalTime() {
        FreezeWindow w = weekend();
        // Friday 2026-11-20, Berlin is UTC+1
        assertThat(w.isOpenAt(t("2026-11-20T21:59:59Z"))).isFalse();
        assertThat(w.isOpenAt(t("2026-11-20T22:00:00Z"))).as("opens at 23:00 Berlin").isTrue();
        assertThat(w.isOpenAt(t("2026-11-22T12:00:00Z"))).isTrue();
        assertThat(w.isOpenAt(t("2026-11-23T05:59:59Z"))).isTrue();
        assertThat(w.isOpenAt(t("2026-11-23T06:00:00Z"))).as("closes at 07:00 Berlin").isFalse();
        assertThat(w.isOpenAt(t("2026-11-25T12:00:00Z"))).isFalse();
        assertThat(w.openedAt(t("2026-11-22T12:00:00Z"))).contains(t("2026-11-20T22:00:00Z"));
        assertThat(w.nextChangeAfter(t("2026-11-22T12:00:00Z"))).isEqualTo(t("2026-11-23T06:00:00Z"));
        assertThat(w.nextChangeAfter(t("2026-11-23T06:00:00Z"))).isEqualTo(t("2026-11-27T22:00:00Z"));
    }

    @Test
    void aWeekendAcrossTheAutumnDstChangeKeepsItsLocalTimesAndLastsAnHourLonger() {
        FreezeWindow w = weekend();
        // 2026-10-25 03:00 CEST -> 02:00 CET. Opens Friday 23:00 CEST (21:00Z), closes Monday 07:00 CET (06:00Z).
        assertThat(w.isOpenAt(t("2026-10-23T20:59:59Z"))).isFalse();
        assertThat(w.isOpenAt(t("2026-10-23T21:00:00Z"))).isTrue();
        assertThat(w.isOpenAt(t("2026-10-25T01:30:00Z"))).as("inside the repeated hour").isTrue();
        assertThat(w.isOpenAt(t("2026-10-26T05:59:59Z"))).isTrue();
        assertThat(w.isOpenAt(t("2026-10-26T06:00:00Z"))).isFalse();
        assertThat(w.nextOccurrence(t("2026-10-20T00:00:00Z")).orElseThrow())
                .containsExactly(t("2026-10-23T21:00:00Z"), t("2026-10-26T06:00:00Z"));
    }

    @Test
    void aWeekendAcrossTheSpringDstChangeKeepsItsLocalTimesAndLastsAnHourLess() {
        FreezeWindow w = weekend();
        // 2026-03-29 02:00 CET -> 03:00 CEST. Opens Friday 23:00 CET (22:00Z), closes Monday 07:00 CEST (05:00Z).
        assertThat(w.isOpenAt(t("2026-03-27T21:59:59Z"))).isFalse();
        assertThat(w.isOpenAt(t("2026-03-27T22:00:00Z"))).isTrue();
        assertThat(w.isOpenAt(t("2026-03-30T04:59:59Z"))).isTrue();
        assertThat(w.isOpenAt(t("2026-03-30T05:00:00Z"))).isFalse();
    }

    @Test
    void aNightlyWindowWhoseEndComesBeforeItsStartSpansMidnight() {
        FreezeWindow nightly = FreezeWindow.recurring("nightly", FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, null,
                "0 22 * * *", "0 6 * * *", "UTC");
        assertThat(nightly.isOpenAt(t("2026-11-20T21:59:00Z"))).isFalse();
        assertThat(nightly.isOpenAt(t("2026-11-20T23:30:00Z"))).isTrue();
        assertThat(nightly.isOpenAt(t("2026-11-21T03:00:00Z"))).isTrue();
        assertThat(nightly.isOpenAt(t("2026-11-21T06:00:00Z"))).isFalse();
        assertThat(nightly.isOpenAt(t("2026-11-21T12:00:00Z"))).isFalse();
    }

    @Test
    void aNightlyWindowOnTheSpringForwardNightIsStillOpenAtNight() {
        // 02:30 does not exist in Berlin on 2026-03-29; the window from 01:00 to 05:00 still covers the night
        FreezeWindow w = FreezeWindow.recurring("night", FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, null,
                "0 1 * * *", "0 5 * * *", "Europe/Berlin");
        assertThat(w.isOpenAt(t("2026-03-29T00:00:00Z"))).as("01:00 CET").isTrue();
        assertThat(w.isOpenAt(t("2026-03-29T02:59:00Z"))).as("04:59 CEST").isTrue();
        assertThat(w.isOpenAt(t("2026-03-29T03:00:00Z"))).as("05:00 CEST").isFalse();
    }

    @Test
    void aOneOffHolidayFreezeIsOpenFromItsStartUntilItsEnd() {
        FreezeWindow w = FreezeWindow.oneOff("holiday", FreezeScope.environment("prod"), Stops.ALL_BUILDS, "Winter holidays",
                t("2026-12-23T00:00:00Z"), t("2027-01-04T08:00:00Z"));
        assertThat(w.isOpenAt(t("2026-12-22T23:59:59Z"))).isFalse();
        assertThat(w.isOpenAt(t("2026-12-23T00:00:00Z"))).isTrue();
        assertThat(w.isOpenAt(t("2027-01-04T08:00:00Z"))).isFalse();
        assertThat(w.nextChangeAfter(t("2026-12-01T00:00:00Z"))).isEqualTo(t("2026-12-23T00:00:00Z"));
        assertThat(w.nextChangeAfter(t("2027-01-05T00:00:00Z"))).isNull();
        assertThat(w.reason()).isEqualTo("Winter holidays");
    }

    @Test
    void schedulesThatCannotWorkAreRefusedWithTheField() {
        assertThatThrownBy(() -> FreezeWindow.oneOff("h", FreezeScope.EVERYTHING, null, null, t("2027-01-04T00:00:00Z"), t("2026-12-23T00:00:00Z")))
                .hasMessageStartingWith("to: 2026-12-23T00:00:00Z is not after from");
        assertThatThrownBy(() -> FreezeWindow.recurring("w", null, null, null, "0 23 * * 5", "0 23 * * 5", "UTC"))
                .hasMessageStartingWith("cronEnd: '0 23 * * 5' is the same as cronStart");
        assertThatThrownBy(() -> FreezeWindow.recurring("w", null, null, null, "0 25 * * 5", "0 7 * * 1", "UTC"))
                .hasMessageStartingWith("cronStart: '0 25 * * 5' is not a five-field Unix cron");
        assertThatThrownBy(() -> FreezeWindow.recurring("w", null, null, null, "0 23 * * 5", "0 7 * * 1", "Mars/Olympus"))
                .hasMessageStartingWith("zone: 'Mars/Olympus' is not a time zone");
        assertThatThrownBy(() -> FreezeWindow.recurring("bad name!", null, null, null, "0 23 * * 5", "0 7 * * 1", "UTC"))
                .hasMessageStartingWith("name:");
    }
}
