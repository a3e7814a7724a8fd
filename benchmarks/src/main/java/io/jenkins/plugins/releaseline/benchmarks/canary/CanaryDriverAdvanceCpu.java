package io.jenkins.plugins.releaseline.benchmarks.canary;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The CPU time of one {@code CanaryDriver.advance} (this thread's, from {@link ThreadMXBean}), beside the wall-clock
 * times of {@link CanaryDriverAdvanceBenchmark}: on a shared machine the wall clock measures the queue for a core as
 * much as the advance. Same set-up as the benchmark; prints the median and p90 of each kind after a warm-up.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.jenkins.plugins.releaseline.benchmarks.canary.CanaryDriverAdvanceCpu}
 */
public final class CanaryDriverAdvanceCpu {

    private CanaryDriverAdvanceCpu() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        CanaryDriverAdvanceBenchmark b = new CanaryDriverAdvanceBenchmark();
        b.open();
        try {
            for (String kind : new String[] {"advanceWithNothingDue", "advanceAnalysingAndSettingTheNextWeight"}) {
                boolean due = kind.startsWith("advanceAnalysing");
                Supplier<Object> call = due ? b::advanceAnalysingAndSettingTheNextWeight : b::advanceWithNothingDue;
                long[] cpu = new long[rounds];
                for (int warm = 0; warm < rounds / 2; warm++) {
                    if (due) {
                        b.dueRollout();
                    }
                    call.get();
                }
                for (int i = 0; i < rounds; i++) {
                    if (due) {
                        b.dueRollout();
                    }
                    long start = mx.getCurrentThreadCpuTime();
                    call.get();
                    cpu[i] = mx.getCurrentThreadCpuTime() - start;
                }
                Arrays.sort(cpu);
                System.out.printf(Locale.ROOT, "%s: CPU median %.3f ms, p90 %.3f ms, min %.3f ms (%d advances)%n", kind,
                        cpu[rounds / 2] / 1e6, cpu[rounds * 9 / 10] / 1e6, cpu[0] / 1e6, rounds);
            }
        } finally {
            b.close();
        }
    }
}
