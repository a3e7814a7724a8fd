package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What is promoted: coordinates (name and version) and the content digest. Promotion follows the digest, so a
 * rebuilt binary with the same version is a different artifact.
 */
public record Artifact(String name, String version, Digest digest) {

    public static final int MAX_NAME = 200;
    public static final int MAX_VERSION = 100;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    public Artifact {
        name = requireArtifactName(name);
        version = requireVersion(version);
        Objects.requireNonNull(digest, "digest");
    }

    public static Artifact of(String name, String version, String digest) {
        return new Artifact(name, version, Digest.parse(digest));
    }

    static String requireArtifactName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("artifact: must name what is promoted, such as 'app'");
        }
        Inputs.rejectControlCharacters("artifact", name, false);
        Inputs.requireLength("artifact", name, MAX_NAME);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("artifact: '" + Inputs.printable(name)
                    + "' may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit");
        }
        return name;
    }

    static String requireVersion(String version) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("version: must not be empty; give the version being promoted, such as 1.4.2");
        }
        Inputs.rejectControlCharacters("version", version, false);
        Inputs.requireLength("version", version, MAX_VERSION);
        if (version.contains("/") || version.contains("\\") || version.contains("..")) {
            throw new IllegalArgumentException("version: '" + Inputs.printable(version)
                    + "' contains path characters ('/', '\\' or '..'); give a plain version such as 1.4.2");
        }
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version: '" + Inputs.printable(version)
                    + "' may hold only letters, digits, '.', '_', '+' and '-', and must start with a letter or digit");
        }
        return version;
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + digest.shortForm() + ")";
    }
}
