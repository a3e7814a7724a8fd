package io.jenkins.plugins.releaseline.engine.andon;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * A scheduled freeze. Either recurring, written as GitLab writes deploy freezes (a cron start, a cron end and a
 * time zone: {@code 0 23 * * 5} to {@code 0 7 * * 1} in {@code Europe/Berlin} freezes every weekend), or a
 * one-off range of instants (a holiday freeze).
 *
 * <p>A recurring window is open at {@code t} when the latest start reached by {@code t} is later than the
 * latest end reached by {@code t}. So an end that comes "before" the start in the week or the day
 * ({@code 0 22 * * *} to {@code 0 6 * * *}) spans midnight as a reader expects, and the times are wall-clock
 * times in the zone: across a DST change the window starts and ends at the written local times, and is an
 * hour longer or shorter in absolute time. The crons are evaluated on the wall clock and each time they give
 * is then placed on the time line as a person reading the clock expects: a written time that the clock skips
 * (02:30 on a spring-forward night in Berlin) is reached when the clock jumps past it (03:00 CEST), and a
 * repeated time (02:30 on an autumn night) is reached at its first showing. So {@code 30 2 * * *} to
 * {@code 30 3 * * *} is open 03:00-03:30 on the spring-forward day, and {@code 0 1 * * *} to
 * {@code 30 2 * * *} closes at the jump to 03:00. {@link #isOpenAt}, {@link #nextChangeAfter} and
 * {@link #nextOccurrence} all rest on this one placement, so they agree.
 *
 * <p>A recurring window that could never be open is refused: a cron that never fires ({@code 0 0 30 2 *}),
 * or an end that fires at every time the start fires ({@code 0 23 * * 5} and {@code 0 23 * * FRI}): the
 * crons are compared by the times they fire ({@link CronFiring}), not as text.
 */
public final class FreezeWindow {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** The crons run on wall-clock times, which cron-utils is given in a zone that has no DST. */
    private static final ZoneOffset WALL = ZoneOffset.UTC;

    private final String name;
    private final FreezeScope scope;
    private final Stops stops;
    private final String reason;
    private final String cronStart;
    private final String cronEnd;
    private final ZoneId zone;
    private final Instant from;
    private final Instant to;
    private final ExecutionTime startTimes;
    private final ExecutionTime endTimes;

    private FreezeWindow(String name, FreezeScope scope, Stops stops, String reason, String cronStart, String cronEnd,
                         ZoneId zone, Instant from, Instant to) {
        this.name = Inputs.requireName("name", name == null ? null : name.strip(), 100);
        this.scope = scope == null ? FreezeScope.EVERYTHING : scope;
        this.stops = stops == null ? Stops.DEPLOYMENTS : stops;
        this.reason = Inputs.reason(reason, false) == null ? "Scheduled freeze window '" + this.name + "'" : Inputs.reason(reason, false);
        this.cronStart = cronStart;
        this.cronEnd = cronEnd;
        this.zone = zone;
        this.from = from;
        this.to = to;
        if (cronStart != null) {
            this.startTimes = ExecutionTime.forCron(parse("cronStart", cronStart));
            this.endTimes = ExecutionTime.forCron(parse("cronEnd", cronEnd));
        } else {
            this.startTimes = null;
            this.endTimes = null;
        }
    }

    /** Every time {@code cronStart} fires in {@code zone}, until {@code cronEnd} fires. */
    public static FreezeWindow recurring(String name, FreezeScope scope, Stops stops, String reason,
                                         String cronStart, String cronEnd, String zone) {
        if (cronStart == null || cronStart.isBlank()) {
            throw new IllegalArgumentException("cronStart: must not be empty; write a five-field cron such as '0 23 * * 5'");
        }
        if (cronEnd == null || cronEnd.isBlank()) {
            throw new IllegalArgumentException("cronEnd: must not be empty; write a five-field cron such as '0 7 * * 1'");
        }
        if (cronStart.strip().equals(cronEnd.strip())) {
            throw new IllegalArgumentException("cronEnd: '" + cronEnd.strip()
                    + "' is the same as cronStart, so the window would never be open; give it a different end");
        }
        Cron start = parse("cronStart", cronStart.strip());
        Cron end = parse("cronEnd", cronEnd.strip());
        Optional<CronFiring> startFiring = CronFiring.of(start);
        Optional<CronFiring> endFiring = CronFiring.of(end);
        if (startFiring.isPresent() && startFiring.get().never()) {
            throw new IllegalArgumentException("cronStart: '" + cronStart.strip() + "' never fires (no date has that day"
                    + " of the month in that month, such as 30 February), so the window would never open;"
                    + " write a day that exists, e.g. '0 0 28 2 *'");
        }
        if (endFiring.isPresent() && endFiring.get().never()) {
            throw new IllegalArgumentException("cronEnd: '" + cronEnd.strip() + "' never fires (no date has that day"
                    + " of the month in that month, such as 30 February), so the window would never close;"
                    + " write a day that exists, e.g. '0 0 1 3 *'");
        }
        if (startFiring.isPresent() && endFiring.isPresent() && endFiring.get().covers(startFiring.get())) {
            throw new IllegalArgumentException("cronEnd: '" + cronEnd.strip() + "' "
                    + (endFiring.get().sameAs(startFiring.get()) ? "fires at the same times as" : "fires at every time of")
                    + " cronStart '" + cronStart.strip() + "', so the window would close the moment it opens and never be"
                    + " open; give the end a time the start does not have (e.g. a start of '0 23 * * 5' with an end of"
                    + " '0 7 * * 1')");
        }
        return new FreezeWindow(name, scope, stops, reason, cronStart.strip(), cronEnd.strip(), zone(zone), null, null);
    }

    /** Once, from {@code from} (inclusive) to {@code to} (exclusive). */
    public static FreezeWindow oneOff(String name, FreezeScope scope, Stops stops, String reason, Instant from, Instant to) {
        if (from == null || to == null) {
            throw new IllegalArgumentException((from == null ? "from" : "to") + ": a one-off window needs both a start and an end");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("to: " + to + " is not after from: " + from + "; the end of a one-off window must come after its start");
        }
        return new FreezeWindow(name, scope, stops, reason, null, null, null, from, to);
    }

    private static ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            throw new IllegalArgumentException("zone: must name a time zone such as 'Europe/Berlin' or 'UTC'");
        }
        try {
            return ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("zone: '" + Inputs.printable(zone) + "' is not a time zone; use a region such as 'Europe/Berlin' or 'UTC'");
        }
    }

    private static Cron parse(String field, String expression) {
        try {
            return PARSER.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": '" + Inputs.printable(expression)
                    + "' is not a five-field Unix cron (minute hour day-of-month month day-of-week): " + e.getMessage(), e);
        }
    }

    public boolean isRecurring() {
        return cronStart != null;
    }

    /** Whether the window holds work back at {@code t}. */
    public boolean isOpenAt(Instant t) {
        if (!isRecurring()) {
            return !t.isBefore(from) && t.isBefore(to);
        }
        LocalDateTime bound = wallBound(t);
        Optional<LocalDateTime> lastStart = lastFiring(startTimes, bound);
        if (lastStart.isEmpty()) {
            return false;
        }
        Optional<LocalDateTime> lastEnd = lastFiring(endTimes, bound);
        return lastEnd.isEmpty() || lastStart.get().isAfter(lastEnd.get());
    }

    /** When the window opened, if it is open at {@code t}. */
    public Optional<Instant> openedAt(Instant t) {
        if (!isOpenAt(t)) {
            return Optional.empty();
        }
        if (!isRecurring()) {
            return Optional.of(from);
        }
        return lastFiring(startTimes, wallBound(t)).map(this::reached);
    }

    /** The first instant after {@code t} at which the window opens or closes, or {@code null} if never again. */
    public Instant nextChangeAfter(Instant t) {
        if (!isRecurring()) {
            if (t.isBefore(from)) {
                return from;
            }
            return t.isBefore(to) ? to : null;
        }
        boolean open = isOpenAt(t);
        Instant at = t;
        // Several written times can be reached at one instant (all those the clock skips): a firing is a change
        // only when the window is different once every time reached at that instant is counted.
        for (int i = 0; i < 1_000; i++) {
            Optional<LocalDateTime> next = nextFiring(open ? endTimes : startTimes, wallBound(at));
            if (next.isEmpty()) {
                return null;
            }
            Instant c = reached(next.get());
            if (isOpenAt(c) != open) {
                return c;
            }
            at = c;
        }
        return null;
    }

    /** The next opening at or after {@code t} and the closing that follows it; or the current one if open. */
    public Optional<Instant[]> nextOccurrence(Instant t) {
        if (!isRecurring()) {
            return t.isBefore(to) ? Optional.of(new Instant[] {from, to}) : Optional.empty();
        }
        Instant opens = isOpenAt(t) ? openedAt(t).orElse(t) : nextChangeAfter(t);
        if (opens == null) {
            return Optional.empty();
        }
        return Optional.of(new Instant[] {opens, nextChangeAfter(isOpenAt(t) ? t : opens)});
    }

    /**
     * The instant a written wall-clock time is reached in the zone: a time the clock skips when the clock
     * jumps past it, a repeated time at its first showing.
     */
    Instant reached(LocalDateTime wall) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(wall);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.ofLocal(wall, zone, null).toInstant(); // an overlap: the earlier offset, first showing
    }

    /** The latest wall-clock time that has been reached at {@code t}. */
    private LocalDateTime wallBound(Instant t) {
        LocalDateTime wall = LocalDateTime.ofInstant(t, zone);
        ZoneOffsetTransition transition = zone.getRules().getTransition(wall);
        if (transition != null && transition.isOverlap() && !t.isBefore(transition.getInstant())) {
            // the second showing of a repeated hour: all of it was reached at its first showing
            return transition.getDateTimeBefore().minusNanos(1);
        }
        return wall;
    }

    /** The latest firing at or before {@code wall}. */
    private static Optional<LocalDateTime> lastFiring(ExecutionTime times, LocalDateTime wall) {
        return times.lastExecution(wall.plusNanos(1).atZone(WALL)).map(ZonedDateTime::toLocalDateTime);
    }

    /** The first firing after {@code wall}. */
    private static Optional<LocalDateTime> nextFiring(ExecutionTime times, LocalDateTime wall) {
        return times.nextExecution(wall.atZone(WALL)).map(ZonedDateTime::toLocalDateTime);
    }

    public String name() {
        return name;
    }

    public FreezeScope scope() {
        return scope;
    }

    public Stops stops() {
        return stops;
    }

    public String reason() {
        return reason;
    }

    public String cronStart() {
        return cronStart;
    }

    public String cronEnd() {
        return cronEnd;
    }

    public ZoneId zone() {
        return zone;
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    /** How the schedule reads: {@code 0 23 * * 5 → 0 7 * * 1 (Europe/Berlin)} or the one-off range. */
    public String schedule() {
        return isRecurring() ? cronStart + " \u2192 " + cronEnd + " (" + zone.getId() + ")"
                : from.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " \u2192 " + to.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FreezeWindow w && name.equals(w.name) && scope.equals(w.scope) && stops == w.stops
                && reason.equals(w.reason) && java.util.Objects.equals(cronStart, w.cronStart)
                && java.util.Objects.equals(cronEnd, w.cronEnd) && java.util.Objects.equals(zone, w.zone)
                && java.util.Objects.equals(from, w.from) && java.util.Objects.equals(to, w.to);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " [" + scope + ", stops " + stops.text() + ", " + schedule() + "]";
    }
}
