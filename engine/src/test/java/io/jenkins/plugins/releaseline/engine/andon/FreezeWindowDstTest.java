package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Recurring windows on the days the clock changes: a skipped written time is reached when the clock jumps past
 * it, a repeated one at its first showing; and windows that could never be open are refused.
 */
class FreezeWindowDstTest {

    static final String BERLIN = "Europe/Berlin";
    static final String NEW_YORK = "America/New_York";

    static FreezeWindow window(String start, String end, String zone) {
        return FreezeWindow.recurring("w", FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, null, start, end, zone);
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void anEndTheClockSkipsIsReachedWhenTheClockJumpsPastIt() {
        // Berlin 2027-03-28: 02:00 CET -> 03:00 CEST at 01:00Z; 02:30 does not exist
        FreezeWindow w = window("0 1 * * *", "30 2 * * *", BERLIN);
        assertThat(w.isOpenAt(t("2027-03-27T23:59:59Z"))).isFalse();
        assertThat(w.isOpenAt(t("2027-03-28T00:00:00Z"))).as("01:00 CET").isTrue();
        assertThat(w.isOpenAt(t("2027-03-28T00:59:59Z"))).isTrue();
        assertThat(w.isOpenAt(t("2027-03-28T01:00:00Z"))).as("03:00 CEST: the clock jumped past 02:30").isFalse();
        assertThat(w.isOpenAt(t("2027-03-28T12:00:00Z"))).as("not frozen all day").isFalse();
        assertThat(w.nextChangeAfter(t("2027-03-28T00:00:00Z"))).isEqualTo(t("2027-03-28T01:00:00Z"));
        assertThat(w.nextOccurrence(t("2027-03-27T12:00:00Z")).orElseThrow())
                .containsExactly(t("2027-03-28T00:00:00Z"), t("2027-03-28T01:00:00Z"));
        // the next day, the written times again
        assertThat(w.nextOccurrence(t("2027-03-28T01:00:00Z")).orElseThrow())
                .containsExactly(t("2027-03-28T23:00:00Z"), t("2027-03-29T00:30:00Z"));
    }

    @Test
    void aStartTheClockSkipsOpensTheWindowWhenTheClockJumpsPastIt() {
        FreezeWindow berlin = window("30 2 * * *", "30 3 * * *", BERLIN);
        assertThat(berlin.isOpenAt(t("2027-03-28T00:59:59Z"))).isFalse();
        assertThat(berlin.isOpenAt(t("2027-03-28T01:00:00Z"))).as("03:00 CEST").isTrue();
        assertThat(berlin.isOpenAt(t("2027-03-28T01:29:59Z"))).isTrue();
        assertThat(berlin.isOpenAt(t("2027-03-28T01:30:00Z"))).as("03:30 CEST").isFalse();
        assertThat(berlin.openedAt(t("2027-03-28T01:10:00Z"))).contains(t("2027-03-28T01:00:00Z"));
        assertThat(berlin.nextOccurrence(t("2027-03-27T12:00:00Z")).orElseThrow())
                .containsExactly(t("2027-03-28T01:00:00Z"), t("2027-03-28T01:30:00Z"));

        // New York 2027-03-14: 02:00 EST -> 03:00 EDT at 07:00Z
        FreezeWindow ny = window("30 2 * * *", "30 3 * * *", NEW_YORK);
        assertThat(ny.isOpenAt(t("2027-03-14T06:59:59Z"))).isFalse();
        assertThat(ny.isOpenAt(t("2027-03-14T07:00:00Z"))).as("03:00 EDT").isTrue();
        assertThat(ny.isOpenAt(t("2027-03-14T07:30:00Z"))).as("03:30 EDT").isFalse();
        assertThat(ny.nextChangeAfter(t("2027-03-13T12:00:00Z"))).isEqualTo(t("2027-03-14T07:00:00Z"));
    }

    @Test
    void aRepeatedTimeIsReachedAtItsFirstShowing() {
        // Berlin 2027-10-31: 03:00 CEST -> 02:00 CET at 01:00Z; 02:00-02:59 shows twice
        FreezeWindow w = window("30 2 * * *", "0 3 * * *", BERLIN);
        assertThat(w.isOpenAt(t("2027-10-31T00:29:59Z"))).isFalse();
        assertThat(w.isOpenAt(t("2027-10-31T00:30:00Z"))).as("02:30 CEST, the first showing").isTrue();
        assertThat(w.isOpenAt(t("2027-10-31T01:30:00Z"))).as("02:30 CET, the second showing: still open").isTrue();
        assertThat(w.isOpenAt(t("2027-10-31T02:00:00Z"))).as("03:00 CET").isFalse();
        assertThat(w.nextOccurrence(t("2027-10-30T12:00:00Z")).orElseThrow())
                .containsExactly(t("2027-10-31T00:30:00Z"), t("2027-10-31T02:00:00Z"));

        FreezeWindow inTheHour = window("0 2 * * *", "30 2 * * *", BERLIN);
        assertThat(inTheHour.isOpenAt(t("2027-10-31T00:10:00Z"))).as("02:10 CEST").isTrue();
        assertThat(inTheHour.isOpenAt(t("2027-10-31T01:10:00Z"))).as("02:10 CET: not again").isFalse();
        assertThat(inTheHour.nextChangeAfter(t("2027-10-31T00:30:00Z"))).as("02:00 CET the next day")
                .isEqualTo(t("2027-11-01T01:00:00Z"));
    }

    /** Every minute of each DST day (and half of the days around it) agrees with the changes nextChangeAfter gives. */
    @Test
    void everyMinuteOfTheDstDaysAgreesWithTheChanges() {
        for (String zone : List.of(BERLIN, NEW_YORK)) {
            List<String> days = zone.equals(BERLIN) ? List.of("2027-03-28", "2027-10-31") : List.of("2027-03-14", "2027-11-07");
            for (String[] se : new String[][] {{"0 1 * * *", "30 2 * * *"}, {"30 2 * * *", "30 3 * * *"},
                    {"30 2 * * *", "0 3 * * *"}, {"0 2 * * *", "30 2 * * *"}, {"15 2 * * *", "45 2 * * *"},
                    {"45 2 * * *", "15 2 * * *"}, {"0 22 * * *", "30 2 * * *"}, {"0 23 * * 6", "0 7 * * 1"},
                    {"*/20 2 * * *", "10 3 * * *"}}) {
                FreezeWindow w = window(se[0], se[1], zone);
                for (String day : days) {
                    Instant from = LocalDate.parse(day).atStartOfDay(ZoneId.of(zone)).minusHours(12).toInstant();
                    walk(w, from, from.plus(Duration.ofHours(48)), Duration.ofMinutes(1), 15);
                }
            }
        }
    }

    /** A whole year in both zones, every half hour (every edge here is on one), and no day is skipped. */
    @Test
    void aWholeYearAgreesWithTheChangesAndNoDayIsSkipped() {
        for (String zone : List.of(BERLIN, NEW_YORK)) {
            for (String[] se : new String[][] {{"30 2 * * *", "30 3 * * *"}, {"0 1 * * *", "30 2 * * *"},
                    {"0 23 * * 5", "0 7 * * 1"}}) {
                FreezeWindow w = window(se[0], se[1], zone);
                Instant from = t("2027-01-01T00:00:00Z");
                int openings = walk(w, from, t("2028-01-01T00:00:00Z"), Duration.ofMinutes(30), 97);
                if (se[0].endsWith("* * *")) {
                    assertThat(openings).as("%s opens every day in %s", w.schedule(), zone).isBetween(364, 366);
                } else {
                    assertThat(openings).as("%s opens every week", w.schedule()).isBetween(52, 53);
                }
            }
        }
    }

    /**
     * Walks from {@code from} to {@code to}: at each step, isOpenAt is what the changes of nextChangeAfter say,
     * and (every {@code occurrenceEvery} steps) openedAt and nextOccurrence name the same edges. Returns the
     * number of openings.
     */
    static int walk(FreezeWindow w, Instant from, Instant to, Duration step, int occurrenceEvery) {
        boolean open = w.isOpenAt(from);
        Instant lastChange = open ? w.openedAt(from).orElseThrow() : null;
        Instant next = w.nextChangeAfter(from);
        int openings = 0;
        int steps = 0;
        for (Instant m = from; m.isBefore(to); m = m.plus(step)) {
            while (next != null && !m.isBefore(next)) {
                assertThat(w.isOpenAt(next)).as("%s: a change at %s", w.schedule(), next).isNotEqualTo(open);
                open = !open;
                openings += open ? 1 : 0;
                lastChange = next;
                Instant after = w.nextChangeAfter(next);
                assertThat(after).as("%s after %s", w.schedule(), next).isNotNull().isAfter(next);
                next = after;
            }
            assertThat(w.isOpenAt(m)).as("%s at %s (%s)", w.schedule(), m, m.atZone(w.zone())).isEqualTo(open);
            if (steps++ % occurrenceEvery != 0) {
                continue;
            }
            if (open) {
                // the opening of the current occurrence: the last change, or a later start reached at an instant
                // where the window closed and opened again (a start and an end both skipped by the clock)
                Instant opened = w.openedAt(m).orElseThrow();
                assertThat(opened).as("%s opened, at %s", w.schedule(), m).isBetween(lastChange, m);
                assertThat(w.isOpenAt(opened)).isTrue();
                assertThat(w.nextOccurrence(m).orElseThrow()).as("%s at %s", w.schedule(), m)
                        .containsExactly(opened, next);
            } else {
                Instant[] occurrence = w.nextOccurrence(m).orElseThrow();
                assertThat(occurrence[0]).as("%s next opening after %s", w.schedule(), m).isEqualTo(next);
                assertThat(occurrence[1]).isEqualTo(w.nextChangeAfter(next));
            }
        }
        return openings;
    }

    @Test
    void windowsThatWouldNeverBeOpenAreRefusedByMeaningNotText() {
        assertThatThrownBy(() -> window("0 23 * * 5", "0 23 * * FRI", "UTC"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cronEnd: '0 23 * * FRI' fires at the same times as cronStart '0 23 * * 5'")
                .hasMessageContaining("give the end a time the start does not have");
        assertThatThrownBy(() -> window("0 7 * * 1", "00 07 * * 1", BERLIN))
                .hasMessageStartingWith("cronEnd: '00 07 * * 1' fires at the same times as cronStart '0 7 * * 1'");
        assertThatThrownBy(() -> window("0 0 * * 0", "0 0 * * 7", BERLIN))
                .hasMessageStartingWith("cronEnd: '0 0 * * 7' fires at the same times");
        assertThatThrownBy(() -> window("0 0 * * 1-5", "0 0 * * MON,TUE,WED,THU,FRI", BERLIN))
                .hasMessageStartingWith("cronEnd: '0 0 * * MON,TUE,WED,THU,FRI' fires at the same times");
        assertThatThrownBy(() -> window("0 23 * * 5", "0 * * * *", BERLIN))
                .hasMessageStartingWith("cronEnd: '0 * * * *' fires at every time of cronStart '0 23 * * 5'");
        assertThatThrownBy(() -> window("0 0 30 2 *", "0 7 * * 1", BERLIN))
                .hasMessageStartingWith("cronStart: '0 0 30 2 *' never fires")
                .hasMessageContaining("write a day that exists");
        assertThatThrownBy(() -> window("0 23 * * 5", "0 0 31 4,6 *", BERLIN))
                .hasMessageStartingWith("cronEnd: '0 0 31 4,6 *' never fires");
        // windows that do open are accepted
        assertThat(window("0 23 * * 5", "0 7 * * 1", BERLIN).isRecurring()).isTrue();
        assertThat(window("0 0 29 2 *", "0 0 1 3 *", BERLIN).nextOccurrence(t("2027-01-01T00:00:00Z")).orElseThrow()[0])
                .as("only in leap years").isEqualTo(t("2028-02-28T23:00:00Z"));
        assertThat(window("0 * * * *", "30 23 * * *", "UTC").isOpenAt(t("2027-05-05T12:10:00Z"))).isTrue();
        assertThat(window("0 0 13 * 5", "0 12 * * *", "UTC").isRecurring()).isTrue();
    }

    /** CronFiring reads the day and time fields as cron-utils does, over random crons, days and times. */
    @Test
    void cronFiringAgreesWithCronUtils() {
        CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
        Random r = new Random(31);
        String[][] items = {
            {"*", "0", "7", "*/15", "5-20", "10-40/10", "0,30", "59", "*/7"},
            {"*", "0", "23", "*/6", "1-5", "9-17/4", "2,14"},
            {"*", "1", "13", "29", "30", "31", "*/2", "1-7", "10-20/5", "1,15,31"},
            {"*", "2", "2,4", "1-3", "*/3", "JAN-MAR", "DEC", "4,6,9,11"},
            {"*", "0", "5", "7", "1-5", "FRI", "SAT,SUN", "*/2", "0-7", "MON-WED"}};
        int compared = 0;
        for (int trial = 0; trial < 100; trial++) {
            String cron = items[0][r.nextInt(items[0].length)] + " " + items[1][r.nextInt(items[1].length)] + " "
                    + items[2][r.nextInt(items[2].length)] + " " + items[3][r.nextInt(items[3].length)] + " "
                    + items[4][r.nextInt(items[4].length)];
            ExecutionTime times = ExecutionTime.forCron(parser.parse(cron));
            CronFiring firing = CronFiring.of(parser.parse(cron)).orElseThrow();
            for (int k = 0; k < 40; k++) {
                int day = r.nextInt(CronFiring.DAYS);
                int minute = r.nextInt(24 * 60);
                ZonedDateTime at = CronFiring.FIRST.plusDays(day).atStartOfDay(ZoneOffset.UTC).plusMinutes(minute);
                assertThat(firing.firesOnDay(day) && firing.firesAt(minute)).as("%s at %s", cron, at)
                        .isEqualTo(times.isMatch(at));
                compared++;
            }
            // the first firing in the span (a cron that never fires has none)
            if (firing.never()) {
                assertThat(times.isMatch(CronFiring.FIRST.atStartOfDay(ZoneOffset.UTC))).isFalse();
                continue;
            }
            ZonedDateTime first = times.nextExecution(CronFiring.FIRST.atStartOfDay(ZoneOffset.UTC).minusNanos(1)).orElse(null);
            if (first != null && first.getYear() < 2029) {
                int day = (int) ChronoUnit.DAYS.between(CronFiring.FIRST, first.toLocalDate());
                assertThat(firing.firesOnDay(day) && firing.firesAt(first.getHour() * 60 + first.getMinute())).as(cron).isTrue();
                for (int d = 0; d < day; d++) {
                    assertThat(firing.firesOnDay(d) && firing.firesAt(first.getHour() * 60 + first.getMinute()))
                            .as("%s before its first firing %s", cron, first).isFalse();
                }
            } else {
                assertThat(first).as("%s fires in the span", cron).isNotNull();
            }
        }
        assertThat(compared).isEqualTo(100 * 40);
    }
}
