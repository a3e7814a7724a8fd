package io.jenkins.plugins.releaseline.engine.andon;

import com.cronutils.model.Cron;
import com.cronutils.model.field.CronFieldName;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Optional;

/**
 * When a validated five-field Unix cron fires, as sets, to compare two schedules by meaning rather than by
 * text ({@code 0 23 * * 5} and {@code 0 23 * * FRI}, {@code 0 7 * * 1} and {@code 00 07 * * 1} are the same).
 * A cron fires at every time of day of its minute and hour fields on every day its day fields match, so its
 * firing times are the product of a set of days and a set of times of day. Whether a day matches depends only
 * on its month, its day of the month and its day of the week; the 28 years from 2001 to 2028 hold every such
 * combination the calendar has (February 29 on each day of the week), so two crons with the same days there
 * fire on the same days in every year, and a cron with no day there never fires ({@code 0 0 30 2 *}).
 * Days match as cron-utils matches them for {@code CronType.UNIX}: when neither day field is {@code *}, a day
 * matching either fires ({@code 0 0 13 * 5}: every 13th and every Friday; {@code *}{@code /2} counts as
 * restricted).
 */
final class CronFiring {

    static final LocalDate FIRST = LocalDate.of(2001, 1, 1);
    static final int DAYS = (int) ChronoUnit.DAYS.between(FIRST, LocalDate.of(2029, 1, 1));

    private final BitSet days;
    private final BitSet timesOfDay;

    private CronFiring(BitSet days, BitSet timesOfDay) {
        this.days = days;
        this.timesOfDay = timesOfDay;
    }

    /** The firing sets of {@code cron}, or empty for a field written in a way this class does not read. */
    static Optional<CronFiring> of(Cron cron) {
        try {
            BitSet minutes = expand(field(cron, CronFieldName.MINUTE), 0, 59);
            BitSet hours = expand(field(cron, CronFieldName.HOUR), 0, 23);
            String domText = field(cron, CronFieldName.DAY_OF_MONTH);
            String dowText = field(cron, CronFieldName.DAY_OF_WEEK);
            BitSet doms = expand(domText, 1, 31);
            BitSet months = expand(field(cron, CronFieldName.MONTH), 1, 12);
            BitSet dows = expand(dowText, 0, 7);
            if (dows.get(7)) {
                dows.set(0);
            }
            boolean either = !domText.equals("*") && !dowText.equals("*");
            BitSet times = new BitSet(24 * 60);
            for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
                for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                    times.set(h * 60 + m);
                }
            }
            BitSet days = new BitSet(DAYS);
            LocalDate d = FIRST;
            for (int i = 0; i < DAYS; i++, d = d.plusDays(1)) {
                if (!months.get(d.getMonthValue())) {
                    continue;
                }
                boolean dom = doms.get(d.getDayOfMonth());
                boolean dow = dows.get(d.getDayOfWeek().getValue() % 7);
                if (either ? dom || dow : dom && dow) {
                    days.set(i);
                }
            }
            return Optional.of(new CronFiring(days, times));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String field(Cron cron, CronFieldName name) {
        return cron.retrieve(name).getExpression().asString().strip();
    }

    /** A field as cron-utils writes it back (names already numbers): lists of {@code *}, {@code n}, {@code a-b}, each with an optional {@code /step}. */
    static BitSet expand(String text, int min, int max) {
        BitSet out = new BitSet(max + 1);
        for (String item : text.split(",")) {
            String range = item.strip();
            int step = 1;
            int slash = range.indexOf('/');
            if (slash >= 0) {
                step = Integer.parseInt(range.substring(slash + 1).strip());
                range = range.substring(0, slash).strip();
            }
            if (step < 1) {
                throw new IllegalArgumentException("step " + step);
            }
            int lo;
            int hi;
            if (range.equals("*")) {
                lo = min;
                hi = max;
            } else if (range.contains("-")) {
                lo = Integer.parseInt(range.substring(0, range.indexOf('-')).strip());
                hi = Integer.parseInt(range.substring(range.indexOf('-') + 1).strip());
            } else {
                lo = Integer.parseInt(range);
                hi = slash >= 0 ? max : lo;
            }
            if (lo < min || hi > max || lo > hi) {
                throw new IllegalArgumentException("range " + range);
            }
            for (int v = lo; v <= hi; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    boolean never() {
        return days.isEmpty() || timesOfDay.isEmpty();
    }

    /** Whether this cron fires at every time {@code other} fires (both firing at least once). */
    boolean covers(CronFiring other) {
        return contains(days, other.days) && contains(timesOfDay, other.timesOfDay);
    }

    boolean sameAs(CronFiring other) {
        return days.equals(other.days) && timesOfDay.equals(other.timesOfDay);
    }

    private static boolean contains(BitSet outer, BitSet inner) {
        BitSet rest = (BitSet) inner.clone();
        rest.andNot(outer);
        return rest.isEmpty();
    }

    /** Whether it fires on the {@code i}th day from {@link #FIRST} (for tests). */
    boolean firesOnDay(int i) {
        return days.get(i);
    }

    /** Whether it fires at {@code minuteOfDay} on the days it fires (for tests). */
    boolean firesAt(int minuteOfDay) {
        return timesOfDay.get(minuteOfDay);
    }
}
