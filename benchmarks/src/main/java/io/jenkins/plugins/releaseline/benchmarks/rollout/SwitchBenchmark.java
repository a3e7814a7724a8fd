package io.jenkins.plugins.releaseline.benchmarks.rollout;

import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.NginxRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.SwitchUnderLoad;
import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.NginxServer;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The blue-green switch measurement (docs/rollout.md): consecutive blue/green switches under steady loopback load,
 * through a real HAProxy (Runtime API) and a real nginx (upstream file + graceful reload), each in front of two
 * test apps. Prints requests sent, failed, answered by the old colour after a switch completed, and the switch
 * latency (call to the first answer from the new colour). Exits with 1 when any request failed or reached the
 * wrong colour.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.jenkins.plugins.releaseline.benchmarks.rollout.SwitchBenchmark [switches] [workers] [pauseMillis]</pre>
 *
 * <p>With {@code wrk} first, the load is wrk instead (a client that never resends a request, at the highest rate it gets),
 * and the switches run one every {@code gapMillis} while it runs; failed is wrk's non-2xx answers plus its socket
 * errors. Before the switches, a run without switches gives the rate through each router.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.jenkins.plugins.releaseline.benchmarks.rollout.SwitchBenchmark wrk [switches] [connections] [threads] [gapMillis]</pre>
 */
public final class SwitchBenchmark {

    private SwitchBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("wrk")) {
            System.exit(WrkSwitches.run(args) ? 0 : 1);
        }
        int switches = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Duration pause = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 1);
        int between = 50;
        List<String> colours = List.of("blue", "green");
        List<SwitchUnderLoad.Result> results = new ArrayList<>();
        System.out.printf("%d switches each, %d load workers, %d ms pause per worker, %d answers between switches%n",
                switches, workers, pause.toMillis(), between);
        try (TestApp blue = TestApp.start("blue", "1.0"); TestApp green = TestApp.start("green", "1.1")) {
            try (HaproxyServer haproxy = HaproxyServer.builder().server("blue", blue.port(), 100).server("green", green.port(), 0).start()) {
                HaproxyRouter router = new HaproxyRouter("haproxy", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(5)),
                        "app", colours, RetryPolicy.DEFAULT);
                results.add(SwitchUnderLoad.run("haproxy", router, haproxy.frontendUrl(), colours, switches, workers, pause, between));
                System.out.println(results.get(results.size() - 1));
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("blue", blue.port());
            ports.put("green", green.port());
            try (NginxServer nginx = NginxServer.start("app", ports, Map.of("blue", 100))) {
                NginxRouter router = new NginxRouter("nginx", NginxRouter.Settings.of(nginx.prefix(), nginx.config(), nginx.upstreamFile(),
                        "app", nginx.serverAddresses(), List.of("keepalive 32")), colours);
                results.add(SwitchUnderLoad.run("nginx", router, nginx.url(), colours, switches, workers, pause, between));
                System.out.println(results.get(results.size() - 1));
            }
        }
        System.out.println();
        System.out.println("| router | switches | requests sent | failed | wrong colour after switch | switch latency median | p99 |");
        System.out.println("|---|---|---|---|---|---|---|");
        boolean clean = true;
        for (SwitchUnderLoad.Result r : results) {
            System.out.printf("| %s | %d | %d | %d | %d | %.1f ms | %.1f ms |%n", r.router(), r.switches(), r.sent(), r.failed(),
                    r.wrongColourAfterSwitch(), r.percentileMillis(50), r.percentileMillis(99));
            clean &= r.failed() == 0 && r.wrongColourAfterSwitch() == 0;
        }
        System.exit(clean ? 0 : 1);
    }
}
