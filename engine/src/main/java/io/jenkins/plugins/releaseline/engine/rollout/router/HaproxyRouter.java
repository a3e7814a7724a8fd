package io.jenkins.plugins.releaseline.engine.rollout.router;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * HAProxy through its Runtime API: one backend whose servers are the colours ({@code blue}, {@code green}) or
 * stable and canary. A split of percentages is applied as server weights ({@code set server be/srv weight N},
 * the percentage itself, so 0-100 of HAProxy's 0-256) with no reload; traffic follows at once. Servers gaining
 * traffic are raised before those losing it, so that at no moment does every server weigh 0. Reads come from
 * {@code show servers state}, health from {@code show stat}.
 */
public final class HaproxyRouter implements TrafficRouter {

    private final String name;
    private final HaproxyRuntimeApi api;
    private final String backend;
    private final List<String> servers;
    private final RetryPolicy retry;
    private static final java.time.Duration EFFECTIVE_WAIT = java.time.Duration.ofSeconds(5);

    public HaproxyRouter(String name, HaproxyRuntimeApi api, String backend, List<String> servers, RetryPolicy retry) {
        this.name = Inputs.requireName("name", name, 100);
        this.api = Objects.requireNonNull(api, "api");
        this.backend = requireToken("backend", backend);
        if (servers == null || servers.size() < 2) {
            throw new IllegalArgumentException("backends: name at least two HAProxy servers of backend '" + backend + "', e.g. blue and green");
        }
        servers.forEach(s -> requireToken("backends", s));
        if (servers.stream().distinct().count() != servers.size()) {
            throw new IllegalArgumentException("backends: " + servers + " names a server twice");
        }
        this.servers = List.copyOf(servers);
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    private static String requireToken(String field, String value) {
        if (value == null || !value.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException(field + ": '" + (value == null ? "" : Inputs.printable(value))
                    + "' is not an HAProxy name (letters, digits, '.', '_', ':', '-')");
        }
        return value;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> backends() {
        return servers;
    }

    public String haproxyBackend() {
        return backend;
    }

    @Override
    public TrafficSplit read() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (ServerState s : serverStates().values()) {
            weights.put(s.name(), s.userWeight());
        }
        return RouterWeights.toSplit(name, weights);
    }

    /** Each server's weight as HAProxy holds it now (0-256). */
    public Map<String, Integer> weights() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        serverStates().values().forEach(s -> weights.put(s.name(), s.userWeight()));
        return weights;
    }

    @Override
    public TrafficSplit apply(TrafficSplit target) {
        RouterWeights.requireSameBackends(name, servers, target);
        Map<String, ServerState> states = serverStates();
        for (String server : servers) {
            ServerState st = states.get(server);
            if (target.of(server) > 0 && st.maintenance()) {
                throw new RouterException("HAProxy " + name + ": server " + backend + "/" + server
                        + " is in maintenance; refusing to send traffic to it (set it ready first)", false);
            }
        }
        List<String> order = new ArrayList<>();
        // raise first, lower afterwards: never a moment with all weights at zero
        servers.stream().filter(s -> target.of(s) > states.get(s).userWeight()).forEach(order::add);
        servers.stream().filter(s -> !order.contains(s)).forEach(order::add);
        for (String server : order) {
            int w = target.of(server);
            if (w > 0 && states.get(server).draining()) {
                command("set server " + backend + "/" + server + " state ready");
            }
            if (w != states.get(server).userWeight()) {
                command("set server " + backend + "/" + server + " weight " + w);
            }
        }
        awaitEffective(target);
        TrafficSplit after = read();
        if (!after.equals(target)) {
            throw new RouterException("HAProxy " + name + " reads back " + after.percent() + " after setting " + target.percent(), false);
        }
        return after;
    }

    /**
     * HAProxy applies a weight change to its balancing at the next turn of its event loop, a moment after the
     * command returns; the {@code weight} column of {@code show stat} is the weight in effect. Waits for it.
     */
    private void awaitEffective(TrafficSplit target) {
        long end = System.nanoTime() + EFFECTIVE_WAIT.toNanos();
        Map<String, Integer> effective;
        while (true) {
            effective = effectiveWeights();
            boolean done = true;
            for (String s : servers) {
                done &= effective.getOrDefault(s, -1) == target.of(s);
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new RouterException("HAProxy " + name + " holds the weights " + target.percent() + " but balances with "
                        + effective + " after " + EFFECTIVE_WAIT.toMillis() + " ms", true);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RouterException("interrupted", false, e);
            }
        }
    }

    /** The weights HAProxy balances with now (the {@code weight} column of {@code show stat}). */
    public Map<String, Integer> effectiveWeights() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : stat().entrySet()) {
            String w = e.getValue().get("weight");
            try {
                out.put(e.getKey(), Integer.parseInt(w));
            } catch (NumberFormatException ex) {
                throw new RouterException("HAProxy " + name + ": unreadable weight '" + w + "' for " + e.getKey(), false);
            }
        }
        return out;
    }

    /** Takes {@code server} out of the balancing gently: no new connections, those open stay ({@code state drain}). */
    public void drain(String server) {
        requireServer(server);
        command("set server " + backend + "/" + server + " state drain");
    }

    /** Puts {@code server} back into the balancing ({@code state ready}). */
    public void ready(String server) {
        requireServer(server);
        command("set server " + backend + "/" + server + " state ready");
    }

    private void requireServer(String server) {
        if (!servers.contains(server)) {
            throw new IllegalArgumentException("backend: '" + server + "' is not one of " + servers);
        }
    }

    @Override
    public Map<String, BackendHealth> health() {
        Map<String, BackendHealth> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : stat().entrySet()) {
            String st = e.getValue().get("status");
            String check = e.getValue().getOrDefault("check_status", "");
            out.put(e.getKey(), new BackendHealth(stateOf(st), "HAProxy status '" + st + "'" + (check.isEmpty() ? "" : ", last check " + check)));
        }
        for (String s : servers) {
            out.putIfAbsent(s, BackendHealth.unknown("HAProxy " + name + " has no server " + backend + "/" + s));
        }
        return out;
    }

    /** This backend's servers' rows of {@code show stat}, column name to value. */
    private Map<String, Map<String, String>> stat() {
        String csv = retry.run("HAProxy " + name + " show stat", () -> api.execute("show stat"));
        String[] lines = csv.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# pxname")) {
            throw new RouterException("HAProxy " + name + " answered 'show stat' with: " + firstLine(csv), false);
        }
        String[] header = lines[0].substring(2).split(",", -1);
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            if (f.length >= header.length - 1 && f[0].equals(backend) && servers.contains(f[1])) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < Math.min(header.length, f.length); c++) {
                    row.put(header[c], f[c]);
                }
                out.put(f[1], row);
            }
        }
        return out;
    }

    static BackendHealth.State stateOf(String status) {
        if (status.startsWith("UP")) {
            return BackendHealth.State.UP;
        }
        if (status.startsWith("DOWN") || status.equals("NOLB")) {
            return BackendHealth.State.DOWN;
        }
        if (status.startsWith("DRAIN")) {
            return BackendHealth.State.DRAINING;
        }
        if (status.startsWith("MAINT")) {
            return BackendHealth.State.MAINTENANCE;
        }
        return BackendHealth.State.UNKNOWN; // "no check": HAProxy does not check this server
    }

    /** One row of {@code show servers state}. */
    public record ServerState(String name, int operationalState, int adminState, int userWeight) {
        public boolean draining() {
            return (adminState & 0x18) != 0;
        }

        public boolean maintenance() {
            return (adminState & 0x67) != 0;
        }
    }

    public Map<String, ServerState> serverStates() {
        String answer = retry.run("HAProxy " + name + " show servers state", () -> api.execute("show servers state " + backend));
        Map<String, ServerState> found = new LinkedHashMap<>();
        boolean sawHeader = false;
        for (String line : answer.split("\n")) {
            if (line.startsWith("# be_id")) {
                sawHeader = true;
                continue;
            }
            String[] f = line.strip().split("\\s+");
            if (!sawHeader || f.length < 9 || !f[1].equals(backend)) {
                continue;
            }
            try {
                found.put(f[3], new ServerState(f[3], Integer.parseInt(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7])));
            } catch (NumberFormatException e) {
                throw new RouterException("HAProxy " + name + " sent an unreadable server state line: " + line, false);
            }
        }
        if (!sawHeader) {
            throw new RouterException("HAProxy " + name + " answered 'show servers state " + backend + "' with: " + firstLine(answer), false);
        }
        Map<String, ServerState> ordered = new LinkedHashMap<>();
        for (String s : servers) {
            ServerState st = found.get(s);
            if (st == null) {
                throw new RouterException("HAProxy " + name + " has no server '" + s + "' in backend '" + backend + "' (it has " + found.keySet() + ")", false);
            }
            ordered.put(s, st);
        }
        return ordered;
    }

    private void command(String command) {
        String answer = retry.run("HAProxy " + name + " '" + command + "'", () -> api.execute(command));
        if (!answer.isBlank()) {
            throw new RouterException("HAProxy " + name + " refused '" + command + "': " + answer.strip(), false);
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return t.isEmpty() ? "(nothing)" : nl < 0 ? t : t.substring(0, nl);
    }

    @Override
    public String toString() {
        return "HAProxy router " + name + " (" + api + ", backend " + backend + ", servers " + servers + ")";
    }
}
