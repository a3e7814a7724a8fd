package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.cli.rehearsal.SampleRelease;
import io.jenkins.plugins.releaseline.cli.rehearsal.SampleSlots;
import io.jenkins.plugins.releaseline.engine.store.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code release-line sample-app --dir FOLDER}: the sample application with a stable and a canary slot, deployed
 * to by writing files, for pipelines that try Release Line without servers of their own (the sample job of
 * {@code hpi:run}). Runs until a file {@code stop} appears in the folder, a signal, or {@code --max-time}.
 */
@Command(name = "sample-app", mixinStandardHelpOptions = true,
        description = {"Serve the sample application on 127.0.0.1: /stable/ and /canary/ answer as the release deployed to each slot "
                + "(for probes), / splits requests by the canary weight, /status shows it all as JSON.",
                "Deploy by writing files into --dir: 'stable' or 'canary' (an artifact: version=2.0, optionally errors=30%% for a build "
                + "that answers 30%% of requests with 500), 'canary-weight' (0 to 100). A bad file is reported and changes nothing.",
                "Writes the address into 'url' once it listens, and stops when a file 'stop' appears (exit 0)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by the 'stop' file or a signal", "1:error (port taken, folder not writable, --max-time reached)"})
final class SampleAppCommand implements Callable<Integer> {

    static final String[] SLOTS = {"stable", "canary"};
    static final String WEIGHT = "canary-weight";
    static final String URL = "url";
    static final String STOP = "stop";
    private static final long POLL_MILLIS = 100;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "FOLDER", description = "The folder deployments write into (created if missing).")
    Path dir;

    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1 (default: a free one; the address goes into FOLDER/url).")
    int port;

    @Option(names = "--max-time", defaultValue = "2h", description = "Stop by itself after this long, so that a forgotten app does not "
            + "run for ever (default: ${DEFAULT-VALUE}).")
    String maxTime;

    /** The text of each watched file as last acted on, so that a change is acted on once. */
    private final Map<String, String> applied = new HashMap<>();
    /** The text of each watched file at the previous look: a change is acted on once it reads the same twice. */
    private final Map<String, String> previous = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port: " + port + " is outside 0..65535");
        }
        Duration limit = Durations.parse("--max-time", maxTime);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(STOP));
        try (SampleSlots app = SampleSlots.start(port)) {
            Thread hook = new Thread(() -> forgetUrl(), "sample-app-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                // two looks: what the folder holds at the start is taken before the address is announced
                poll(app, out, err);
                Thread.sleep(POLL_MILLIS);
                poll(app, out, err);
                AtomicFile.replace(dir.resolve(URL), (app.url() + "\n").getBytes(StandardCharsets.UTF_8));
                say(out, "sample application on " + app.url() + " (/stable/, /canary/, / split by weight, /status); deploy by writing "
                        + "files into " + dir + "; a file 'stop' there stops it");
                long deadline = System.nanoTime() + limit.toNanos();
                while (!Files.exists(dir.resolve(STOP))) {
                    if (System.nanoTime() - deadline > 0) {
                        err.println("release-line: sample-app: stopped after --max-time " + maxTime + " without a 'stop' file in " + dir);
                        return ExitCode.ERROR;
                    }
                    Thread.sleep(POLL_MILLIS);
                    poll(app, out, err);
                }
                say(out, "stop file found; stopping. Served: " + app.status());
                return ExitCode.OK;
            } finally {
                forgetUrl();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
            }
        }
    }

    /** Applies every watched file that changed since the last look. */
    private void poll(SampleSlots app, PrintWriter out, PrintWriter err) throws IOException {
        for (String slot : SLOTS) {
            String text = changed(slot);
            if (text != null) {
                try {
                    SampleRelease release = SampleRelease.parse(slot, text);
                    app.deploy(slot, release);
                    say(out, slot + " slot now runs " + release.describe());
                } catch (IllegalArgumentException e) {
                    err.println("release-line: sample-app: " + e.getMessage() + " (the " + slot + " slot keeps "
                            + (app.release(slot) == null ? "nothing" : app.release(slot).describe()) + ")");
                }
            }
        }
        String weight = changed(WEIGHT);
        if (weight != null) {
            String w = weight.strip();
            try {
                int percent = Integer.parseInt(w.endsWith("%") ? w.substring(0, w.length() - 1) : w);
                app.canaryWeight(percent);
                say(out, "canary weight " + percent + "%: the front door sends the canary " + percent + " of every 100 requests");
            } catch (IllegalArgumentException e) {
                err.println("release-line: sample-app: " + WEIGHT + ": '" + w + "' is not a weight from 0 to 100 (it stays "
                        + app.canaryWeight() + ")");
            }
        }
    }

    /**
     * The file's text if it changed since it was last acted on and reads the same as at the previous look (a pipeline's
     * {@code writeFile} is not atomic: a file half written is not taken); null otherwise.
     */
    private String changed(String name) throws IOException {
        String text;
        try {
            text = Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            previous.remove(name);
            return null;
        }
        String before = previous.put(name, text);
        if (Objects.equals(applied.get(name), text) || !text.equals(before)) {
            return null;
        }
        applied.put(name, text);
        return text;
    }

    private void forgetUrl() {
        try {
            Files.deleteIfExists(dir.resolve(URL));
        } catch (IOException e) {
            // nothing left to tell anyone
        }
    }

    private static void say(PrintWriter out, String line) {
        out.println("[" + LocalTime.now().format(CLOCK) + "] " + line);
        out.flush();
    }
}
