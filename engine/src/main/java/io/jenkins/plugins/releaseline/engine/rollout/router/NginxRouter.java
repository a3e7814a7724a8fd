package io.jenkins.plugins.releaseline.engine.rollout.router;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * nginx with the split in an upstream file of its own that the main config includes by absolute path. A change
 * renders the whole file ({@code server host:port weight=N;}, {@code down} for 0%), validates the main config with
 * the candidate in its place ({@code nginx -t}), and only then moves it over the live file atomically and reloads
 * ({@code nginx -s reload}: new workers take new requests while the old ones finish theirs). A candidate that fails
 * validation is never activated and the old config keeps serving. {@link #apply} returns once the new workers
 * are up and the old ones have exited, so a completed switch leaves no worker on the old split. {@link #read()}
 * parses the live file, which is the one nginx runs: a reload that fails puts the previous file back.
 */
public final class NginxRouter implements TrafficRouter {

    private static final Pattern SERVER = Pattern.compile("^\\s*server\\s+(\\S+)([^;]*);", Pattern.MULTILINE);
    private static final Pattern WEIGHT = Pattern.compile("\\bweight=(\\d+)");
    private static final Pattern PID = Pattern.compile("^\\s*pid\\s+([^;\\s]+)\\s*;", Pattern.MULTILINE);

    private final String name;
    private final Settings settings;

    /**
     * Where nginx and its files are. {@code servers}: backend name to {@code host:port} as written in the upstream;
     * {@code upstreamDirectives}: lines added to the upstream block as they are (e.g. {@code keepalive 32}).
     */
    public record Settings(Path binary, Path prefix, Path mainConfig, Path upstreamFile, String upstream,
                           Map<String, String> servers, List<String> upstreamDirectives, Duration commandTimeout,
                           Duration reloadTimeout) {
        public Settings {
            if (servers == null || servers.size() < 2) {
                throw new IllegalArgumentException("backends: name at least two servers (backend name to host:port)");
            }
            servers = Map.copyOf(new LinkedHashMap<>(servers));
            servers.forEach((k, v) -> {
                Inputs.requireName("backends", k, 100);
                if (v == null || !v.matches("[A-Za-z0-9._\\[\\]:-]+:\\d+|unix:/[^;\\s]+")) {
                    throw new IllegalArgumentException("backends: the address '" + (v == null ? "" : Inputs.printable(v))
                            + "' of '" + k + "' is not host:port or unix:/path");
                }
            });
            if (upstream == null || !upstream.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("upstream: '" + upstream + "' is not an nginx upstream name");
            }
            for (Path p : new Path[] {binary, mainConfig, upstreamFile}) {
                if (p == null || !p.isAbsolute()) {
                    throw new IllegalArgumentException("paths: the nginx binary, main config and upstream file need absolute paths; got " + p);
                }
            }
            upstreamDirectives = upstreamDirectives == null ? List.of() : List.copyOf(upstreamDirectives);
            for (String d : upstreamDirectives) {
                if (d.contains("{") || d.contains("}") || d.contains("\n") || d.contains(";")) {
                    throw new IllegalArgumentException("upstreamDirectives: '" + Inputs.printable(d) + "' must be one directive without ';', braces or line breaks");
                }
            }
        }

        /** The usual case: nginx at {@code /usr/sbin/nginx}, 10 s per command, 30 s for old workers to finish. */
        public static Settings of(Path prefix, Path mainConfig, Path upstreamFile, String upstream, Map<String, String> servers,
                                  List<String> upstreamDirectives) {
            return new Settings(Path.of("/usr/sbin/nginx"), prefix, mainConfig, upstreamFile, upstream, servers,
                    upstreamDirectives, Duration.ofSeconds(10), Duration.ofSeconds(30));
        }
    }

    private final List<String> backends;

    public NginxRouter(String name, Settings settings, List<String> backendOrder) {
        this.name = Inputs.requireName("name", name, 100);
        this.settings = settings;
        if (!new java.util.HashSet<>(backendOrder).equals(settings.servers().keySet())) {
            throw new IllegalArgumentException("backends: the order " + backendOrder + " must name exactly " + settings.servers().keySet());
        }
        this.backends = List.copyOf(backendOrder);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> backends() {
        return backends;
    }

    /** The upstream file as it would be written for {@code split}. */
    public String render(TrafficSplit split) {
        StringBuilder sb = new StringBuilder("# Written by Release Line router '").append(name)
                .append("'; changes here are replaced at the next switch.\n");
        sb.append("upstream ").append(settings.upstream()).append(" {\n");
        for (String b : backends) {
            int p = split.of(b);
            sb.append("    server ").append(settings.servers().get(b)).append(p > 0 ? " weight=" + p : " down")
                    .append(";  # ").append(b).append('\n');
        }
        for (String d : settings.upstreamDirectives()) {
            sb.append("    ").append(d.strip()).append(";\n");
        }
        return sb.append("}\n").toString();
    }

    @Override
    public TrafficSplit read() {
        String text;
        try {
            text = Files.readString(settings.upstreamFile());
        } catch (IOException e) {
            throw new RouterException("nginx " + name + ": cannot read the upstream file " + settings.upstreamFile() + ": " + e.getMessage(), true, e);
        }
        return parse(text);
    }

    TrafficSplit parse(String text) {
        Map<String, String> byAddress = settings.servers().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        Map<String, Integer> weights = new LinkedHashMap<>();
        Matcher m = SERVER.matcher(text);
        while (m.find()) {
            String backend = byAddress.get(m.group(1));
            if (backend == null) {
                throw new RouterException("nginx " + name + ": the upstream file names " + m.group(1)
                        + ", which is none of " + settings.servers(), false);
            }
            String opts = m.group(2);
            Matcher w = WEIGHT.matcher(opts);
            int weight = opts.matches(".*\\bdown\\b.*") ? 0 : w.find() ? Integer.parseInt(w.group(1)) : 1;
            weights.put(backend, weight);
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String b : backends) {
            ordered.put(b, weights.getOrDefault(b, 0));
        }
        return RouterWeights.toSplit(name, ordered);
    }

    @Override
    public TrafficSplit apply(TrafficSplit target) {
        RouterWeights.requireSameBackends(name, backends, target);
        Path live = settings.upstreamFile();
        Path dir = live.getParent();
        String previous;
        try {
            previous = Files.exists(live) ? Files.readString(live) : null;
        } catch (IOException e) {
            throw new RouterException("nginx " + name + ": cannot read " + live + ": " + e.getMessage(), true, e);
        }
        Path candidate = null;
        Path validation = null;
        try {
            candidate = Files.createTempFile(dir, "." + live.getFileName() + ".", ".next");
            Files.writeString(candidate, render(target));
            validation = validationConfig(candidate);
            Result test = run(List.of(settings.binary().toString(), "-t", "-q", "-p", prefix(), "-c", validation.toString()));
            if (test.exit() != 0) {
                throw new RouterException("nginx " + name + " refused the new upstream file (nginx -t): " + test.output().strip()
                        + "; nothing was changed and the previous config keeps serving", false);
            }
            long master = masterPid();
            Set<Long> oldWorkers = workers(master);
            Files.move(candidate, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            candidate = null;
            Result reload = run(List.of(settings.binary().toString(), "-p", prefix(), "-c", settings.mainConfig().toString(), "-s", "reload"));
            if (reload.exit() != 0) {
                restore(live, previous);
                throw new RouterException("nginx " + name + " did not reload: " + reload.output().strip()
                        + "; the previous upstream file was put back", true);
            }
            awaitWorkerSwap(master, oldWorkers, live, previous);
        } catch (IOException e) {
            throw new RouterException("nginx " + name + ": " + e.getMessage(), true, e);
        } finally {
            deleteQuietly(candidate);
            deleteQuietly(validation);
        }
        TrafficSplit after = read();
        if (!after.equals(target)) {
            throw new RouterException("nginx " + name + " reads back " + after.percent() + " after writing " + target.percent(), false);
        }
        return after;
    }

    private void awaitWorkerSwap(long master, Set<Long> oldWorkers, Path live, String previous) throws IOException {
        long end = System.nanoTime() + settings.reloadTimeout().toNanos();
        boolean newStarted = false;
        while (System.nanoTime() < end) {
            if (ProcessHandle.of(master).map(h -> !h.isAlive()).orElse(true)) {
                throw new RouterException("nginx " + name + ": the master process " + master + " is gone", true);
            }
            Set<Long> now = workers(master);
            newStarted = newStarted || now.stream().anyMatch(p -> !oldWorkers.contains(p));
            if (newStarted && now.stream().noneMatch(oldWorkers::contains)) {
                return;
            }
            sleep(5);
        }
        if (!newStarted) {
            restore(live, previous);
            throw new RouterException("nginx " + name + " started no new workers within " + settings.reloadTimeout().toSeconds()
                    + " s of the reload (see its error log); the previous upstream file was put back", true);
        }
        throw new RouterException("nginx " + name + ": the new split serves, but old workers still finish requests after "
                + settings.reloadTimeout().toSeconds() + " s", false);
    }

    private Path validationConfig(Path candidate) throws IOException {
        String main = Files.readString(settings.mainConfig());
        String livePath = settings.upstreamFile().toString();
        if (!main.contains(livePath)) {
            throw new RouterException("nginx " + name + ": the main config " + settings.mainConfig() + " does not include "
                    + livePath + " by its absolute path; add 'include " + livePath + ";' in its http block", false);
        }
        Path v = Files.createTempFile(settings.mainConfig().getParent(), "." + settings.mainConfig().getFileName() + ".", ".check");
        Files.writeString(v, main.replace(livePath, candidate.toString()));
        return v;
    }

    private void restore(Path live, String previous) throws IOException {
        if (previous == null) {
            Files.deleteIfExists(live);
            return;
        }
        Path back = Files.createTempFile(live.getParent(), "." + live.getFileName() + ".", ".back");
        Files.writeString(back, previous);
        Files.move(back, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String prefix() {
        return (settings.prefix() != null ? settings.prefix() : settings.mainConfig().getParent()).toString();
    }

    /** The master's pid, from the {@code pid} file the main config names. */
    public long masterPid() throws IOException {
        Matcher m = PID.matcher(Files.readString(settings.mainConfig()));
        Path pidFile = m.find() ? Path.of(m.group(1)) : null;
        if (pidFile == null || !pidFile.isAbsolute()) {
            throw new RouterException("nginx " + name + ": the main config must name its pid file by an absolute path ('pid /run/nginx.pid;')", false);
        }
        try {
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new RouterException("nginx " + name + " is not running: no readable pid in " + pidFile, true, e);
        }
    }

    private static Set<Long> workers(long master) {
        return ProcessHandle.of(master).map(h -> h.children().map(ProcessHandle::pid).collect(Collectors.toSet())).orElse(Set.of());
    }

    @Override
    public Map<String, BackendHealth> health() {
        Map<String, BackendHealth> out = new LinkedHashMap<>();
        Optional<Long> master;
        try {
            master = Optional.of(masterPid());
        } catch (IOException | RouterException e) {
            master = Optional.empty();
        }
        boolean alive = master.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        for (String b : backends) {
            out.put(b, alive ? BackendHealth.unknown("nginx (open source) keeps no health state for upstream servers")
                    : new BackendHealth(BackendHealth.State.DOWN, "nginx is not running"));
        }
        return out;
    }

    private record Result(int exit, String output) {}

    private Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new RouterException("nginx " + name + ": '" + String.join(" ", command) + "' did not finish within "
                        + settings.commandTimeout().toSeconds() + " s", true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new RouterException("nginx " + name + ": interrupted", false, e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a leftover temp file is harmless; the next call writes a new one
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted", false, e);
        }
    }

    @Override
    public String toString() {
        return "nginx router " + name + " (" + settings.upstreamFile() + ", upstream " + settings.upstream() + ")";
    }
}
