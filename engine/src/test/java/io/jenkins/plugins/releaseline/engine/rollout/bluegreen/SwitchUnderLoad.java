package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;

import io.jenkins.plugins.releaseline.engine.testing.LoadGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The switch measurement: consecutive blue/green switches through a router while a {@link LoadGenerator} keeps
 * a steady load on its front. For each switch it records the latency from the call to the first answer served
 * by the new colour; at the end it counts failed requests, and requests answered by the colour switched away
 * from although they were sent after the switch completed (the router's {@code apply} returned) and answered before
 * the next switch began. (A request still in flight when the next switch begins may rightly meet either colour.)
 * Shared by the engine test (10 switches) and the benchmark command (100).
 */
public final class SwitchUnderLoad {

    /** What one run measured. Latencies in nanoseconds, one per switch, in order. */
    public record Result(String router, int switches, long sent, long failed, long wrongColourAfterSwitch,
                         List<Long> latencyNanos, List<String> errors) {

        public double percentileMillis(double p) {
            List<Long> sorted = new ArrayList<>(latencyNanos);
            sorted.sort(null);
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx))) / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%-8s switches %d, requests sent %d, failed %d, wrong colour after switch %d, "
                            + "switch latency median %.1f ms, p99 %.1f ms, max %.1f ms%s", router, switches, sent, failed,
                    wrongColourAfterSwitch, percentileMillis(50), percentileMillis(99), percentileMillis(100),
                    errors.isEmpty() ? "" : ", first errors " + errors);
        }
    }

    private SwitchUnderLoad() {}

    /**
     * Runs {@code switches} switches between {@code colours[0]} and {@code colours[1]} through {@code router},
     * starting from all traffic on the first colour, with {@code workers} load threads on {@code frontUrl}.
     * Between switches it waits for {@code answersBetween} answers, so that every state carries traffic.
     */
    public static Result run(String label, TrafficRouter router, String frontUrl, List<String> colours, int switches,
                             int workers, Duration pause, int answersBetween) throws InterruptedException {
        String a = colours.get(0);
        String b = colours.get(1);
        router.apply(TrafficSplit.all(a, router.backends()));
        List<Long> latencies = new ArrayList<>();
        List<long[]> windows = new ArrayList<>(); // {completedNanos, nextCallNanos, index of the colour switched away from}
        try (LoadGenerator load = LoadGenerator.start(frontUrl, workers, pause, Duration.ofMinutes(30), Long.MAX_VALUE)) {
            if (!load.awaitAnswers(0, answersBetween, Duration.ofSeconds(30))) {
                throw new IllegalStateException("no load reached " + frontUrl + ": " + load);
            }
            String current = a;
            for (int i = 0; i < switches; i++) {
                String next = current.equals(a) ? b : a;
                long call = System.nanoTime();
                if (!windows.isEmpty()) {
                    windows.get(windows.size() - 1)[1] = call;
                }
                router.apply(TrafficSplit.all(next, router.backends()));
                long completed = System.nanoTime();
                windows.add(new long[] {completed, Long.MAX_VALUE, current.equals(a) ? 0 : 1});
                long seen = load.sent();
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (load.firstAnsweredBy(next, call).isEmpty()) {
                    if (System.nanoTime() > end) {
                        throw new IllegalStateException("switch " + (i + 1) + " to " + next + ": no answer from it within 30 s: " + load);
                    }
                    Thread.sleep(1);
                }
                latencies.add(load.firstAnsweredBy(next, call).get().answeredNanos() - call);
                load.awaitAnswers(seen, answersBetween, Duration.ofSeconds(30));
                current = next;
            }
            long stop = System.nanoTime();
            windows.get(windows.size() - 1)[1] = stop;
            load.close();
            long wrong = 0;
            for (long[] w : windows) {
                wrong += load.answeredBy(colours.get((int) w[2]), w[0], w[1]);
            }
            return new Result(label, switches, load.sent(), load.failed(), wrong, latencies, load.errors());
        }
    }
}
