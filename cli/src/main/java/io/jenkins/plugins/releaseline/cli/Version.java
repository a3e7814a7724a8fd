package io.jenkins.plugins.releaseline.cli;

import picocli.CommandLine;

/** The version from the jar's manifest. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = ReleaseLine.class.getPackage().getImplementationVersion();
        return new String[] {"release-line " + (v == null ? "(development build)" : v)};
    }
}
