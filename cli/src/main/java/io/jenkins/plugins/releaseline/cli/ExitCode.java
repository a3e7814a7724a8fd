package io.jenkins.plugins.releaseline.cli;

/** The command's documented exit codes. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int REFUSED = 2;

    private ExitCode() {}
}
