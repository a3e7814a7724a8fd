package io.jenkins.plugins.releaseline.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on the store: the store, output and operator options, and the engines opened once. */
abstract class StoreCommand implements Callable<Integer> {

    @Mixin StoreOptions store;
    @Mixin OutputOptions output;
    @Mixin OperatorOptions operator;
    @Spec CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try (Engines engines = store.engines()) {
            return run(engines);
        }
    }

    abstract int run(Engines engines) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    String principal() {
        return operator.principal();
    }

    boolean json() {
        return output.json();
    }

    void json(Object value) {
        output.printJson(out(), value);
    }
}
