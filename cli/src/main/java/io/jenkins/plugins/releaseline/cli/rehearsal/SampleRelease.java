package io.jenkins.plugins.releaseline.cli.rehearsal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A version of the sample application and how often it fails: {@code errorsPerHundred} of every hundred requests
 * are answered with status 500, spread evenly (30% fails 3 of every 10), so that a run repeats.
 *
 * <p>As a file (what a sample build produces and a deployment copies into a slot), one {@code key=value} per line:
 * {@code version=2.0} (required) and {@code errors=30%} (optional, 0% by default); blank lines and lines starting
 * with {@code #} are ignored.
 */
public record SampleRelease(String version, int errorsPerHundred) {

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,49}");
    private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3})%?");

    public SampleRelease {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version: '" + version + "' is not a version; use letters, digits and . _ + - "
                    + "(at most 50), such as 2.0");
        }
        if (errorsPerHundred < 0 || errorsPerHundred > 100) {
            throw new IllegalArgumentException("errors: " + errorsPerHundred + "% is outside 0%..100%");
        }
    }

    /** Whether request number {@code n} (from 1) of this release fails. */
    public boolean fails(long n) {
        return n * errorsPerHundred / 100 != (n - 1) * errorsPerHundred / 100;
    }

    /** The release a file's text describes; {@code source} names the file in messages. */
    public static SampleRelease parse(String source, String text) {
        String version = null;
        int errors = 0;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ": line " + (i + 1) + ": ";
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(where + "'" + line + "' is not key=value; write version=2.0 and errors=30%");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            switch (key) {
                case "version" -> version = value;
                case "errors" -> {
                    var m = PERCENT.matcher(value);
                    if (!m.matches() || Integer.parseInt(m.group(1)) > 100) {
                        throw new IllegalArgumentException(where + "errors: '" + value + "' is not a share from 0% to 100%, such as 30%");
                    }
                    errors = Integer.parseInt(m.group(1));
                }
                default -> throw new IllegalArgumentException(where + "unknown key '" + key + "'; use version= and errors=");
            }
        }
        if (version == null) {
            throw new IllegalArgumentException(source + ": no version= line; write version=2.0 (and errors=30% for a bad build)");
        }
        try {
            return new SampleRelease(version, errors);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    /** What the release says of itself in logs. */
    public String describe() {
        return "sample-app " + version + (errorsPerHundred == 0 ? "" : " (answers " + errorsPerHundred + "% of requests with 500)");
    }
}
