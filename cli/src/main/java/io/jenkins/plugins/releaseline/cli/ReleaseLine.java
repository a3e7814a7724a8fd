package io.jenkins.plugins.releaseline.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code release-line} command. Exit codes: 0 done, 2 refused by a gate or a freeze, 1 any other error
 * (bad input included).
 */
@Command(
        name = "release-line",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Release Line from a terminal: the same store, gates and audit trail as the Jenkins plugin.",
        subcommands = {AndonCommand.class, PromotionCommands.Promote.class, PromotionCommands.Approve.class,
                PromotionCommands.Reject.class, PromotionCommands.Cancel.class,
                PromotionCommands.Status.class, PromotionCommands.Diff.class, PromotionCommands.Rollback.class,
                CanaryCommand.class, BlueGreenCommand.class, TogglesCommand.class, AuditCommand.class, RehearsalCommand.class, SampleAppCommand.class,
                StoreCommand.Group.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:error (bad input, store unreachable, ...)", "2:refused by a gate or a freeze"})
public final class ReleaseLine implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1"); // before any H2 class loads: see StoreOptions.H2_SHARED
        }
        quietLogging();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams and returns its exit code; used by {@link #main} and tests. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ReleaseLine());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new Failures());
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("release-line: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.ERROR;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static void quietLogging() {
        try (InputStream config = ReleaseLine.class.getResourceAsStream("/logging.properties")) {
            if (config != null && System.getProperty("java.util.logging.config.file") == null) {
                LogManager.getLogManager().readConfiguration(config);
            }
        } catch (java.io.IOException e) {
            // keep the JDK's default logging
        }
    }

    /** Turns exceptions into a one-line message and the documented exit code; no stack traces for users. */
    static final class Failures implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
            PrintWriter err = cmd.getErr();
            if (ex instanceof RefusedException refused) {
                err.println("refused: " + refused.getMessage());
                return ExitCode.REFUSED;
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("release-line: " + ex.getMessage());
                return ExitCode.ERROR;
            }
            err.println("release-line: " + StoreOptions.explain(ex));
            if (System.getenv("RELEASE_LINE_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return ExitCode.ERROR;
        }
    }
}
