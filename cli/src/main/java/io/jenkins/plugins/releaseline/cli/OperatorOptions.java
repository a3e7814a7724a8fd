package io.jenkins.plugins.releaseline.cli;

import picocli.CommandLine.Option;

/** Who acts: written to the audit trail and shown on the Jenkins pages. */
public final class OperatorOptions {

    @Option(names = "--as", paramLabel = "NAME",
            description = "Your name in the audit trail (default: $RELEASE_LINE_OPERATOR, else the login name).")
    String operator;

    String principal() {
        if (operator != null) {
            return operator;
        }
        String env = System.getenv("RELEASE_LINE_OPERATOR");
        return env != null && !env.isBlank() ? env : System.getProperty("user.name");
    }
}
