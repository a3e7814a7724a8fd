package io.jenkins.plugins.releaseline.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every server fixture stops what it started: no process of it, and nothing on its port, is left after close. */
class ServerFixturesStopTest {

    @Test
    void nginxStopsItsMasterAndEveryWorkerAlsoThoseOfAReload() throws Exception {
        try (TestApp app = TestApp.start("blue", "1.0")) {
            Set<ProcessHandle> seen = new HashSet<>();
            long master;
            int port;
            NginxServer nginx = NginxServer.start("app", Map.of("blue", app.port()), Map.of("blue", 1));
            try {
                master = nginx.masterPid();
                port = URI.create(nginx.url()).getPort();
                seen.addAll(descendants(master));
                Set<Long> before = nginx.workerPids();
                reload(nginx).waitFor();
                long end = System.nanoTime() + 10_000_000_000L;
                while (before.containsAll(nginx.workerPids()) && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                seen.addAll(descendants(master));
                assertThat(seen.size()).as("old and new workers").isGreaterThan(before.size());
            } finally {
                nginx.close();
            }
            assertGone(master, seen);
            assertThat(listens(port)).as("something still listens on nginx's port " + port).isFalse();
        }
    }

    @Test
    void nginxClosedWhileAReloadStartsNewWorkersLeavesNoneBehind() throws Exception {
        try (TestApp app = TestApp.start("blue", "1.0")) {
            for (int i = 0; i < 5; i++) {
                NginxServer nginx = NginxServer.start("app", Map.of("blue", app.port()), Map.of("blue", 1));
                long master = nginx.masterPid();
                int port = URI.create(nginx.url()).getPort();
                Set<ProcessHandle> seen = new HashSet<>(descendants(master));
                Process reload;
                try {
                    reload = reload(nginx);
                    reload.waitFor();
                    seen.addAll(descendants(master)); // the reload's new workers may be on their way
                } finally {
                    nginx.close();
                }
                assertGone(master, seen);
                assertThat(listens(port)).as("round %d: a worker still listens on nginx's port %d", i, port).isFalse();
            }
        }
    }

    @Test
    void haproxyAndPrometheusLeaveNoProcess() throws Exception {
        try (TestApp app = TestApp.start("blue", "1.0")) {
            HaproxyServer haproxy = HaproxyServer.builder().server("blue", app.port(), 100).start();
            long pid;
            try {
                pid = pidOf(haproxy);
            } finally {
                haproxy.close();
            }
            assertGone(pid, Set.of());
            assertThat(haproxy.adminSocket()).doesNotExist();

            PrometheusServer prometheus = PrometheusServer.scraping(app.url() + "/metrics");
            int port = prometheus.url().getPort();
            prometheus.close();
            assertThat(listens(port)).isFalse();
        }
    }

    private static long pidOf(HaproxyServer haproxy) {
        return ProcessHandle.current().descendants()
                .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(haproxy.config().toString())).orElse(false))
                .findFirst().orElseThrow().pid();
    }

    private static Process reload(NginxServer nginx) throws IOException {
        return new ProcessBuilder(NginxServer.BINARY, "-p", nginx.prefix().toString(), "-c", nginx.config().toString(), "-s", "reload")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Set<ProcessHandle> descendants(long pid) {
        Set<ProcessHandle> all = new HashSet<>();
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(all::add));
        return all;
    }

    private static void assertGone(long master, Set<ProcessHandle> seen) {
        assertThat(ProcessHandle.of(master).filter(ProcessHandle::isAlive)).as("master %d", master).isEmpty();
        assertThat(seen).as("descendants still alive").noneMatch(ProcessHandle::isAlive);
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
