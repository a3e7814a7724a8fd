package io.jenkins.plugins.releaseline.engine.telemetry;

import io.jenkins.plugins.releaseline.engine.promotion.LedgerKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.AbstractUnivariateStatistic;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.descriptive.UnivariateStatistic;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.util.FastMath;

/**
 * One environment's running aggregates, folded from the ledger in order: every change (a deployment that went
 * green, or a failed deployment attempt) in primitive arrays, every incident with its start and restore, and the
 * rolling statistics the outlier test uses. Window figures scan these arrays; nothing is sampled.
 */
final class EnvironmentHistory {

    /** Every artifact; any other negative number matches none. */
    static final int ALL = -1;
    static final byte FAILED_ATTEMPT = 1;
    static final byte FAILED_CHANGE = 2;

    enum IncidentKind { FAILED_DEPLOY, FAILED_VERIFICATION, ROLLBACK, HOTFIX, ANDON }

    final String name;
    private final Catalog catalog;
    private final Duration failureWindow;
    private final long failureWindowMicros;
    private final int outlierMinSamples;

    // changes, in ledger order
    private int n;
    private long[] at = new long[64];
    private long[] promotion = new long[64];
    private int[] artifact = new int[64];
    private int[] digest = new int[64];
    private byte[] flags = new byte[64];

    // incidents from the ledger and the verification records (Andon pulls are kept apart: they are re-read)
    private int m;
    private long[] incStart = new long[16];
    private long[] incEnd = new long[16];
    private int[] incArtifact = new int[16];
    private byte[] incKind = new byte[16];
    private long[] andonStart = new long[0];
    private long[] andonEnd = new long[0];

    /** artifact -> index of its latest green change, or -1 when the latest green was a rollback. */
    private final Map<Integer, Integer> lastGreen = new HashMap<>();
    /** artifact -> the times of its rollback deployments, in ledger order. */
    private final Map<Integer, List<Long>> rollbacksOf = new HashMap<>();
    /** artifact -> incidents waiting for the artifact's next green deployment. */
    private final Map<Integer, List<Integer>> waiting = new HashMap<>();
    /** digest -> failed attempts since it last went green. */
    private final IntCounts failuresOfDigest = new IntCounts();
    private final DescriptiveStatistics durations;
    private final DescriptiveStatistics failureCounts;
    private final Moments moments = new Moments();
    private final List<DeploymentOutlier> outliers = new ArrayList<>();
    /** Ledger records of this environment by kind ({@link LedgerKind} order), for the metrics endpoint. */
    private final long[] kinds = new long[LedgerKind.values().length];

    EnvironmentHistory(String name, Catalog catalog, Duration failureWindow, int outlierWindow, int outlierMinSamples) {
        this.name = name;
        this.catalog = catalog;
        this.failureWindow = failureWindow;
        this.failureWindowMicros = micros(failureWindow);
        this.outlierMinSamples = outlierMinSamples;
        this.durations = new DescriptiveStatistics(outlierWindow);
        this.failureCounts = new DescriptiveStatistics(outlierWindow);
    }

    // ------------------------------------------------------------------ folding

    /** A deployment that went green (not a rollback). {@code startedAt} is {@code Long.MIN_VALUE} when unknown. */
    void deployed(long promotionId, int art, int dig, long atMicros, long startedAt) {
        if (catalog.hotfix(dig)) {
            Integer previous = lastGreen.get(art);
            if (previous != null && previous >= 0 && atMicros - at[previous] <= failureWindowMicros) {
                flags[previous] |= FAILED_CHANGE;
                addIncident(at[previous], atMicros, art, IncidentKind.HOTFIX);
            }
        }
        int i = addChange(promotionId, art, dig, atMicros, (byte) 0);
        int failures = failuresOfDigest.remove(dig);
        if (startedAt != Long.MIN_VALUE) {
            check(i, "duration", (atMicros - startedAt) / 1_000_000.0, durations);
        }
        check(i, "failures", failures, failureCounts);
        lastGreen.put(art, i);
        restore(art, atMicros);
    }

    void failed(long promotionId, int art, int dig, long atMicros) {
        addChange(promotionId, art, dig, atMicros, (byte) (FAILED_ATTEMPT | FAILED_CHANGE));
        failuresOfDigest.increment(dig);
        waitForGreen(addIncident(atMicros, -1, art, IncidentKind.FAILED_DEPLOY), art);
    }

    /** A rollback went green at {@code atMicros}; someone asked for it at {@code requestedAt}. */
    void rolledBack(int art, long atMicros, long requestedAt) {
        Integer replaced = lastGreen.get(art);
        if (replaced != null && replaced >= 0 && atMicros - at[replaced] <= failureWindowMicros) {
            flags[replaced] |= FAILED_CHANGE;
        }
        addIncident(Math.min(requestedAt, atMicros), atMicros, art, IncidentKind.ROLLBACK);
        lastGreen.put(art, -1);
        rollbacksOf.computeIfAbsent(art, k -> new ArrayList<>()).add(atMicros);
        restore(art, atMicros);
    }

    /** The deployment of {@code promotionId} failed its verification at {@code failedAt}. */
    void verificationFailed(long promotionId, int art, long failedAt) {
        for (int i = n - 1; i >= 0 && at[i] >= failedAt - failureWindowMicros; i--) {
            if (promotion[i] == promotionId && (flags[i] & FAILED_ATTEMPT) == 0) {
                if (failedAt - at[i] <= failureWindowMicros) {
                    flags[i] |= FAILED_CHANGE;
                }
                break;
            }
        }
        int incident = addIncident(failedAt, -1, art, IncidentKind.FAILED_VERIFICATION);
        long greenAfter = firstGreenAfter(art, failedAt);
        if (greenAfter >= 0) {
            incEnd[incident] = greenAfter;
        } else {
            waitForGreen(incident, art);
        }
    }

    /** Replaces the Andon pulls that cover this environment ({@code end} -1 while the freeze holds). */
    void andon(long[] starts, long[] ends) {
        this.andonStart = starts;
        this.andonEnd = ends;
    }

    private void check(int change, String measure, double value, DescriptiveStatistics recent) {
        if (recent.getN() >= outlierMinSamples) {
            recent.apply(moments);
            double mean = moments.mean;
            double sd = moments.standardDeviation;
            if (Math.abs(value - mean) > 3 * sd && value != mean) {
                outliers.add(new DeploymentOutlier(name, catalog.artifactName(artifact[change]), promotion[change],
                        instant(at[change]), measure, value, mean, sd, recent.getN()));
            }
        }
        recent.addValue(value);
    }

    private long firstGreenAfter(int art, long t) {
        long best = -1;
        for (int i = n - 1; i >= 0 && at[i] > t; i--) {
            if (artifact[i] == art && (flags[i] & FAILED_ATTEMPT) == 0) {
                best = at[i];
            }
        }
        List<Long> rollbacks = rollbacksOf.getOrDefault(art, List.of());
        for (int i = rollbacks.size() - 1; i >= 0 && rollbacks.get(i) > t; i--) {
            long rollback = rollbacks.get(i);
            if (best < 0 || rollback < best) {
                best = rollback;
            }
        }
        return best;
    }

    private void restore(int art, long atMicros) {
        List<Integer> open = waiting.remove(art);
        if (open != null) {
            for (int incident : open) {
                incEnd[incident] = Math.max(atMicros, incStart[incident]);
            }
        }
    }

    private void waitForGreen(int incident, int art) {
        waiting.computeIfAbsent(art, k -> new ArrayList<>()).add(incident);
    }

    private int addChange(long promotionId, int art, int dig, long atMicros, byte flag) {
        if (n == at.length) {
            int size = n * 2;
            at = Arrays.copyOf(at, size);
            promotion = Arrays.copyOf(promotion, size);
            artifact = Arrays.copyOf(artifact, size);
            digest = Arrays.copyOf(digest, size);
            flags = Arrays.copyOf(flags, size);
        }
        at[n] = atMicros;
        promotion[n] = promotionId;
        artifact[n] = art;
        digest[n] = dig;
        flags[n] = flag;
        return n++;
    }

    private int addIncident(long start, long end, int art, IncidentKind kind) {
        if (m == incStart.length) {
            int size = m * 2;
            incStart = Arrays.copyOf(incStart, size);
            incEnd = Arrays.copyOf(incEnd, size);
            incArtifact = Arrays.copyOf(incArtifact, size);
            incKind = Arrays.copyOf(incKind, size);
        }
        incStart[m] = start;
        incEnd[m] = end;
        incArtifact[m] = art;
        incKind[m] = (byte) kind.ordinal();
        return m++;
    }

    // ------------------------------------------------------------------ stored aggregates

    /** Writes everything folded so far (not the Andon pulls, which are read again on each call). */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeLong(at[i]);
            out.writeLong(promotion[i]);
            out.writeInt(artifact[i]);
            out.writeInt(digest[i]);
            out.writeByte(flags[i]);
        }
        out.writeInt(m);
        for (int j = 0; j < m; j++) {
            out.writeLong(incStart[j]);
            out.writeLong(incEnd[j]);
            out.writeInt(incArtifact[j]);
            out.writeByte(incKind[j]);
        }
        out.writeInt(lastGreen.size());
        for (Map.Entry<Integer, Integer> e : lastGreen.entrySet()) {
            out.writeInt(e.getKey());
            out.writeInt(e.getValue());
        }
        out.writeInt(rollbacksOf.size());
        for (Map.Entry<Integer, List<Long>> e : rollbacksOf.entrySet()) {
            out.writeInt(e.getKey());
            out.writeInt(e.getValue().size());
            for (long t : e.getValue()) {
                out.writeLong(t);
            }
        }
        out.writeInt(waiting.size());
        for (Map.Entry<Integer, List<Integer>> e : waiting.entrySet()) {
            out.writeInt(e.getKey());
            out.writeInt(e.getValue().size());
            for (int incident : e.getValue()) {
                out.writeInt(incident);
            }
        }
        failuresOfDigest.write(out);
        for (DescriptiveStatistics recent : List.of(durations, failureCounts)) {
            double[] values = recent.getValues();
            out.writeInt(values.length);
            for (double v : values) {
                out.writeDouble(v);
            }
        }
        out.writeInt(outliers.size());
        for (DeploymentOutlier o : outliers) {
            out.writeUTF(o.artifact());
            out.writeLong(o.promotionId());
            out.writeLong(micros(o.deployedAt()));
            out.writeUTF(o.measure());
            out.writeDouble(o.value());
            out.writeDouble(o.mean());
            out.writeDouble(o.standardDeviation());
            out.writeLong(o.samples());
        }
        out.writeInt(kinds.length);
        for (long k : kinds) {
            out.writeLong(k);
        }
    }

    /** Reads what {@link #write} wrote into this empty history. */
    void read(DataInputStream in) throws IOException {
        n = in.readInt();
        int size = Math.max(64, n + 64);
        at = new long[size];
        promotion = new long[size];
        artifact = new int[size];
        digest = new int[size];
        flags = new byte[size];
        for (int i = 0; i < n; i++) {
            at[i] = in.readLong();
            promotion[i] = in.readLong();
            artifact[i] = in.readInt();
            digest[i] = in.readInt();
            flags[i] = in.readByte();
        }
        m = in.readInt();
        size = Math.max(16, m + 16);
        incStart = new long[size];
        incEnd = new long[size];
        incArtifact = new int[size];
        incKind = new byte[size];
        for (int j = 0; j < m; j++) {
            incStart[j] = in.readLong();
            incEnd[j] = in.readLong();
            incArtifact[j] = in.readInt();
            incKind[j] = in.readByte();
        }
        for (int i = in.readInt(); i > 0; i--) {
            lastGreen.put(in.readInt(), in.readInt());
        }
        for (int i = in.readInt(); i > 0; i--) {
            int art = in.readInt();
            List<Long> times = new ArrayList<>();
            for (int k = in.readInt(); k > 0; k--) {
                times.add(in.readLong());
            }
            rollbacksOf.put(art, times);
        }
        for (int i = in.readInt(); i > 0; i--) {
            int art = in.readInt();
            List<Integer> open = new ArrayList<>();
            for (int k = in.readInt(); k > 0; k--) {
                open.add(in.readInt());
            }
            waiting.put(art, open);
        }
        failuresOfDigest.read(in);
        for (DescriptiveStatistics recent : List.of(durations, failureCounts)) {
            for (int i = in.readInt(); i > 0; i--) {
                recent.addValue(in.readDouble());
            }
        }
        for (int i = in.readInt(); i > 0; i--) {
            outliers.add(new DeploymentOutlier(name, in.readUTF(), in.readLong(), instant(in.readLong()), in.readUTF(),
                    in.readDouble(), in.readDouble(), in.readDouble(), in.readLong()));
        }
        int count = in.readInt();
        if (count != kinds.length) {
            throw new IOException("the stored aggregates count " + count + " ledger kinds, this version " + kinds.length);
        }
        for (int k = 0; k < count; k++) {
            kinds[k] = in.readLong();
        }
    }

    // ------------------------------------------------------------------ reading

    /** The figures over {@code [from, to)}; {@code art} {@link #ALL} for every artifact (and then Andon pulls count too). */
    DoraFigures figures(String artifactName, int art, Instant fromInstant, Instant toInstant) {
        long from = micros(fromInstant);
        long to = micros(toInstant);
        long deployments = 0;
        long changes = 0;
        long failed = 0;
        double[] leads = new double[16];
        int leadCount = 0;
        for (int i = 0; i < n; i++) {
            long t = at[i];
            if (t < from || t >= to || (art != ALL && artifact[i] != art)) {
                continue;
            }
            changes++;
            byte f = flags[i];
            if ((f & FAILED_CHANGE) != 0) {
                failed++;
            }
            if ((f & FAILED_ATTEMPT) == 0) {
                deployments++;
                long commit = catalog.commitMicros(digest[i]);
                if (commit != Long.MIN_VALUE) {
                    if (leadCount == leads.length) {
                        leads = Arrays.copyOf(leads, leadCount * 2);
                    }
                    leads[leadCount++] = Math.max(0, t - commit);
                }
            }
        }
        double[] restores = new double[16];
        int restoreCount = 0;
        long unrestored = 0;
        for (int j = 0; j < m + (art == ALL ? andonStart.length : 0); j++) {
            boolean fromAndon = j >= m;
            long start = fromAndon ? andonStart[j - m] : incStart[j];
            long end = fromAndon ? andonEnd[j - m] : incEnd[j];
            if (start < from || start >= to || (!fromAndon && art != ALL && incArtifact[j] != art)) {
                continue;
            }
            if (end < 0) {
                unrestored++;
            } else {
                if (restoreCount == restores.length) {
                    restores = Arrays.copyOf(restores, restoreCount * 2);
                }
                restores[restoreCount++] = end - start;
            }
        }
        Duration window = Duration.between(fromInstant, toInstant);
        double perDay = window.isZero() || window.isNegative() ? 0 : deployments * (double) DoraBand.DAY.toMillis() / window.toMillis();
        Duration lead = median(leads, leadCount);
        Double rate = changes == 0 ? null : (double) failed / changes;
        Duration restore = median(restores, restoreCount);
        return new DoraFigures(name, artifactName, fromInstant, toInstant,
                deployments, perDay, DoraBand.ofDeploymentFrequency(deployments, window),
                lead, leadCount, DoraBand.ofLeadTime(lead),
                changes, failed, rate, DoraBand.ofChangeFailureRate(rate),
                restoreCount, restore, unrestored, DoraBand.ofTimeToRestore(restore));
    }

    List<DeploymentOutlier> outliers(Instant from, Instant to) {
        return outliers.stream().filter(o -> !o.deployedAt().isBefore(from) && o.deployedAt().isBefore(to)).toList();
    }

    void counted(LedgerKind kind) {
        kinds[kind.ordinal()]++;
    }

    long count(LedgerKind kind) {
        return kinds[kind.ordinal()];
    }

    int changeCount() {
        return n;
    }

    Duration failureWindow() {
        return failureWindow;
    }

    private static Duration median(double[] values, int count) {
        if (count == 0) {
            return null;
        }
        double micros = new Median().evaluate(values, 0, count);
        return Duration.of(Math.round(micros), ChronoUnit.MICROS);
    }

    /**
     * The window's mean and standard deviation in one call: what {@link DescriptiveStatistics#getMean()} and
     * {@link DescriptiveStatistics#getStandardDeviation()} answer for two or more values (the same {@link Mean}, then
     * {@link Variance} around it), without computing the mean twice.
     */
    private static final class Moments extends AbstractUnivariateStatistic {
        private final Mean meanOf = new Mean();
        private final Variance varianceOf = new Variance();
        double mean;
        double standardDeviation;

        @Override
        public double evaluate(double[] values, int begin, int length) {
            mean = meanOf.evaluate(values, begin, length);
            standardDeviation = length > 1 ? FastMath.sqrt(varianceOf.evaluate(values, mean, begin, length)) : 0.0;
            return mean;
        }

        @Override
        public UnivariateStatistic copy() {
            return new Moments();
        }
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static long micros(Duration d) {
        return d.toNanos() / 1_000;
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
