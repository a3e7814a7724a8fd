package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on the store: the store, output and operator options, and the engines opened once. */
abstract class StoreCommand implements Callable<Integer> {

    @Mixin StoreOptions store;
    @Mixin OutputOptions output;
    @Mixin OperatorOptions operator;
    @Spec CommandSpec spec;
    private String acting;

    @Override
    public final Integer call() throws Exception {
        try (Engines engines = store.engines()) {
            acting = engines.actAs(operator.requested()); // before any engine is used: its audit trail names both
            return run(engines);
        }
    }

    abstract int run(Engines engines) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Who acts: the connected person, or whom they act for with --as (checked when the store opened). */
    String principal() {
        return acting;
    }

    boolean json() {
        return output.json();
    }

    void json(Object value) {
        output.printJson(out(), value);
    }

    /** {@code release-line store}: the store itself. */
    @Command(name = "store", mixinStandardHelpOptions = true, description = "The store itself.",
            subcommands = {StoreCommand.Init.class, ImpersonationCommands.Grant.class, ImpersonationCommands.Revoke.class})
    static final class Group implements Runnable {
        @Spec CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /**
     * {@code release-line store init}: the one command that creates an H2 store (every other one refuses a missing
     * file, so that a mistyped path is not taken for a new, empty store). On an existing store, or on PostgreSQL, it
     * brings the schema up to date and says so.
     */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the store (an H2 file, with its folders) or bring an existing one up to date.")
    static final class Init implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin OutputOptions output;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            store.create = true;
            String where;
            boolean existed;
            if (store.jdbcUrl != null) {
                where = store.jdbcUrl;
                existed = true;
            } else {
                Path file = Path.of(store.h2Path() + ".mv.db");
                where = file.toString();
                existed = Files.exists(file);
            }
            try (Store opened = store.open()) {
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("store", where);
                    doc.put("created", !existed);
                    output.printJson(out, doc);
                } else {
                    out.println((existed ? "store up to date: " : "created store ") + where);
                }
            }
            return ExitCode.OK;
        }
    }
}
