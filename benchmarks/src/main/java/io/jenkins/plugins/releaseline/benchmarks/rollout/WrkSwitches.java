package io.jenkins.plugins.releaseline.benchmarks.rollout;

import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.NginxRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.NginxServer;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blue-green switches under wrk's load: wrk (Debian's {@code wrk}) runs against the router's front while the switches
 * run, then is stopped with SIGINT, which makes it print its summary. wrk never resends a request, so every request
 * a reload cuts off counts.
 */
final class WrkSwitches {

    private WrkSwitches() {}

    record Outcome(String label, int switches, long requests, double seconds, long non2xx, String socketErrors, long socketErrorCount) {
        long failed() {
            return non2xx + socketErrorCount;
        }
    }

    static boolean run(String[] args) throws Exception {
        int switches = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        long gap = args.length > 4 ? Long.parseLong(args[4]) : 300;
        List<String> colours = List.of("blue", "green");
        List<Outcome> outcomes = new ArrayList<>();
        System.out.printf("wrk -t%d -c%d; %d switches, one every %d ms after the previous returned%n", threads, connections, switches, gap);
        try (TestApp blue = TestApp.start("blue", "1.0"); TestApp green = TestApp.start("green", "1.1")) {
            load("warm-up (not counted)", null, blue.url(), colours, 0, connections, threads, gap);
            load("warm-up (not counted)", null, green.url(), colours, 0, connections, threads, gap);
            outcomes.add(load("direct to one app (no router)", null, blue.url(), colours, 0, connections, threads, gap));
            try (HaproxyServer haproxy = HaproxyServer.builder().server("blue", blue.port(), 100).server("green", green.port(), 0).start()) {
                HaproxyRouter router = new HaproxyRouter("haproxy", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(5)),
                        "app", colours, RetryPolicy.DEFAULT);
                outcomes.add(load("HAProxy, no switch", router, haproxy.frontendUrl(), colours, 0, connections, threads, gap));
                outcomes.add(load("HAProxy (Runtime API)", router, haproxy.frontendUrl(), colours, switches, connections, threads, gap));
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("blue", blue.port());
            ports.put("green", green.port());
            try (NginxServer nginx = NginxServer.start("app", ports, Map.of("blue", 100))) {
                NginxRouter router = new NginxRouter("nginx", NginxRouter.Settings.of(nginx.prefix(), nginx.config(), nginx.upstreamFile(),
                        "app", nginx.serverAddresses(), List.of("keepalive 32")), colours);
                outcomes.add(load("nginx, no switch", router, nginx.url(), colours, 0, connections, threads, gap));
                outcomes.add(load("nginx (rewrite + -s reload)", router, nginx.url(), colours, switches, connections, threads, gap));
            }
        }
        System.out.println();
        System.out.println("| load through | switches | requests | requests/s | failed | of which non-2xx | wrk socket errors |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Outcome o : outcomes) {
            System.out.printf("| %s | %d | %,d | %,.0f | %d | %d | %s |%n", o.label(), o.switches(), o.requests(), o.requests() / o.seconds(),
                    o.failed(), o.non2xx(), o.socketErrors());
        }
        return outcomes.stream().allMatch(o -> o.failed() == 0);
    }

    private static Outcome load(String label, TrafficRouter router, String url, List<String> colours, int switches, int connections,
                                int threads, long gapMillis) throws Exception {
        if (router != null) {
            router.apply(TrafficSplit.all(colours.get(0), router.backends()));
        }
        Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d600s", url).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(wrk.getInputStream()));
        Thread.sleep(2000); // warm up, and the run without switches
        String current = colours.get(0);
        for (int i = 0; i < switches; i++) {
            String next = current.equals(colours.get(0)) ? colours.get(1) : colours.get(0);
            router.apply(TrafficSplit.all(next, router.backends()));
            current = next;
            Thread.sleep(gapMillis);
        }
        if (switches == 0) {
            Thread.sleep(3000);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).inheritIO().start().waitFor();
        wrk.waitFor();
        String text = output.get();
        Outcome o = parse(label, switches, text);
        System.out.println(label + ": " + text.replace('\n', ' '));
        return o;
    }

    static Outcome parse(String label, int switches, String text) {
        Matcher total = Pattern.compile("(\\d+) requests in ([0-9.]+)(ms|s|m)").matcher(text);
        if (!total.find()) {
            throw new IllegalStateException("wrk printed no summary: " + text);
        }
        double seconds = Double.parseDouble(total.group(2)) * switch (total.group(3)) {
            case "ms" -> 0.001;
            case "m" -> 60;
            default -> 1;
        };
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(text);
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(text);
        long errors = 0;
        String socketErrors = "none";
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
            socketErrors = "connect " + socket.group(1) + ", read " + socket.group(2) + ", write " + socket.group(3) + ", timeout " + socket.group(4);
        }
        return new Outcome(label, switches, Long.parseLong(total.group(1)), seconds, non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
                socketErrors, errors);
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read wrk's output: " + e + ")";
        }
    }
}
