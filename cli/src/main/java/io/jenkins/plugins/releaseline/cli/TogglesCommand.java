package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.toggles.EnvironmentSetting;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.FlagdExport;
import io.jenkins.plugins.releaseline.engine.toggles.FlagdExportFile;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleDefinition;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code release-line toggles list|set|kill|export}. */
@Command(name = "toggles", mixinStandardHelpOptions = true, description = "Feature toggles: list, turn on/off and roll out, kill, export for flagd.",
        subcommands = {TogglesCommand.ListToggles.class, TogglesCommand.Set.class, TogglesCommand.Kill.class, TogglesCommand.Export.class})
final class TogglesCommand {

    private TogglesCommand() {}

    static String describe(EnvironmentSetting s) {
        if (s == null) {
            return "-";
        }
        if (!s.enabled()) {
            return s.killed() ? "KILLED" : "off";
        }
        if (s.rollout() != null) {
            return s.rollout().percentage() + "% " + s.rollout().split().get(0).variant() + " (else " + s.defaultVariant() + ")";
        }
        return "on: " + s.defaultVariant();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every toggle and its setting in each environment.")
    static final class ListToggles extends StoreCommand {
        @Option(names = "--environment", description = "Only this environment.")
        String environment;

        @Override
        int run(Engines e) {
            FeatureToggles toggles = e.toggles();
            List<String> envs = environment == null ? toggles.environments() : List.of(environment);
            if (environment != null && !toggles.environments().contains(environment)) {
                throw new IllegalArgumentException("environment: '" + environment + "' is not one of " + toggles.environments());
            }
            if (json()) {
                List<Map<String, Object>> doc = new java.util.ArrayList<>();
                for (ToggleState t : toggles.toggles()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("key", t.key());
                    row.put("definition", t.definition());
                    Map<String, EnvironmentSetting> settings = new LinkedHashMap<>();
                    envs.forEach(env -> settings.put(env, t.setting(env)));
                    row.put("settings", settings);
                    doc.add(row);
                }
                json(doc);
                return ExitCode.OK;
            }
            StringBuilder head = new StringBuilder(String.format("%-28s", "toggle"));
            envs.forEach(env -> head.append(String.format(" %-28s", env)));
            out().println(head.toString().stripTrailing());
            for (ToggleState t : toggles.toggles()) {
                StringBuilder row = new StringBuilder(String.format("%-28s", t.key()));
                envs.forEach(env -> row.append(String.format(" %-28s", describe(t.setting(env)))));
                out().println(row.toString().stripTrailing());
            }
            return ExitCode.OK;
        }
    }

    static final class OnOff {
        @Option(names = "--on", description = "Turn it on.") boolean on;
        @Option(names = "--off", description = "Turn it off.") boolean off;
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Turn a toggle on or off in an environment, and/or set the percentage of users who get it.")
    static final class Set extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The toggle, e.g. new-checkout.")
        String key;

        @Option(names = "--environment", required = true, description = "e.g. prod")
        String environment;

        @ArgGroup(exclusive = true)
        OnOff onOff;

        @Option(names = "--percent", paramLabel = "0-100", description = "Share of targeting keys that get it.")
        Integer percent;

        @Option(names = "--reason", description = "Why (in the audit trail).")
        String reason;

        @Option(names = "--create", description = "Define a boolean toggle and add the environment first if they do not exist.")
        boolean create;

        @Option(names = "--description", description = "With --create: what the toggle guards.")
        String description;

        @Option(names = "--owner", description = "With --create: who owns it.")
        String owner;

        @Override
        int run(Engines e) {
            FeatureToggles toggles = e.toggles();
            if (onOff == null && percent == null) {
                throw new IllegalArgumentException("--on, --off or --percent: say what to change");
            }
            if (create) {
                if (!toggles.environments().contains(environment)) {
                    toggles.addEnvironment(principal(), environment, reason);
                }
                if (toggles.toggle(key).isEmpty()) {
                    toggles.define(principal(), ToggleDefinition.bool(key, description, owner), reason);
                }
            }
            Boolean enabled = onOff == null ? (percent != null ? Boolean.TRUE : null) : onOff.on;
            EnvironmentSetting s = toggles.set(principal(), key, environment, enabled, percent, reason);
            if (json()) {
                json(s);
            } else {
                out().println(key + " in " + environment + ": " + describe(s));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "The kill switch: off in this environment at once, with the reason.")
    static final class Kill extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--environment", required = true)
        String environment;

        @Option(names = "--reason", required = true, description = "Why (required).")
        String reason;

        @Override
        int run(Engines e) {
            EnvironmentSetting s = e.toggles().kill(principal(), key, environment, reason);
            if (json()) {
                json(s);
            } else {
                out().println(key + " in " + environment + ": " + describe(s) + " (" + reason + ")");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "The environment's toggles as a flagd flag file (to standard output, or to --file).")
    static final class Export extends StoreCommand {
        @Option(names = "--environment", required = true)
        String environment;

        @Option(names = "--file", description = "Write here (atomically) instead of standard output.")
        Path file;

        @Override
        int run(Engines e) {
            FeatureToggles toggles = e.toggles();
            if (!toggles.environments().contains(environment)) {
                throw new IllegalArgumentException("environment: '" + environment + "' is not one of " + toggles.environments());
            }
            FlagdExport export = FlagdExport.of(toggles.snapshot(), environment);
            if (file != null) {
                boolean changed = FlagdExportFile.write(export, file);
                out().println((changed ? "wrote " : "unchanged: ") + file);
            } else {
                out().println(export.text());
            }
            return ExitCode.OK;
        }
    }
}
