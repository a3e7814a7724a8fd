package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.cli.rehearsal.Rehearsal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code release-line rehearsal}: the whole suite on this machine, one release from start to end. */
@Command(name = "rehearsal", mixinStandardHelpOptions = true,
        description = {"Walk one release on 127.0.0.1 with HAProxy, two versions of a sample application, Prometheus (when "
                + "installed) and an H2 store in a folder of its own: promotions with soak time, an Andon freeze, an approval, "
                + "a canary rolled back by its analysis, a canary that passes, a toggle raised to 100%%. Prints each step, a summary "
                + "and the path of an HTML report. Stops everything it started, also on Ctrl-C.",
                "Exit 0 when the release ends as planned, 1 otherwise (or when HAProxy is missing: the Debian packages to install are printed)."})
final class RehearsalCommand implements Callable<Integer> {

    /** 128 + SIGINT, as shells report Ctrl-C. */
    static final int INTERRUPTED = 130;

    @Mixin OutputOptions output;
    @Mixin OperatorOptions operator;
    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "FOLDER", description = "Work folder for the store, logs and report (default: a new temp folder).")
    Path dir;

    @Option(names = "--soak", defaultValue = "4s", description = "Soak time of staging and prod, shortened (default: ${DEFAULT-VALUE}).")
    String soak;

    @Option(names = "--probes", description = "Judge the canaries with the built-in HTTP probes even when Prometheus is installed.")
    boolean probes;

    @Override
    public Integer call() throws Exception {
        Path folder = dir != null ? dir : Files.createTempDirectory("release-line-rehearsal-");
        String missing = Rehearsal.missingPackagesMessage(Rehearsal.Settings.defaults(folder, "x").haproxy());
        if (missing != null) {
            spec.commandLine().getErr().println(missing);
            return ExitCode.ERROR;
        }
        Duration soakTime = Durations.parse("--soak", soak);
        if (soakTime.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("--soak: " + soak + " is over a minute; the rehearsal is meant to be short");
        }
        Rehearsal.Settings defaults = Rehearsal.Settings.defaults(folder, operator.principal());
        Rehearsal.Settings settings = new Rehearsal.Settings(folder, defaults.haproxy(),
                probes ? folder.resolve("prometheus-not-used") : defaults.prometheus(), defaults.operator(),
                soakTime, defaults.v2Plan(), defaults.v3Plan());
        Rehearsal rehearsal = new Rehearsal(settings, output.json() ? new java.io.PrintWriter(java.io.Writer.nullWriter())
                : spec.commandLine().getOut());
        Rehearsal.Result result;
        try {
            result = rehearsal.run();
        } catch (Exception | Error e) {
            if (rehearsal.interrupted()) {
                return INTERRUPTED;
            }
            throw e;
        }
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("ok", result.ok());
            doc.put("seconds", result.took().toMillis() / 1000.0);
            doc.put("result", result);
            output.printJson(spec.commandLine().getOut(), doc);
        }
        return result.ok() ? ExitCode.OK : ExitCode.ERROR;
    }
}
