package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The content identity of an artifact: a SHA-256, written {@code sha256:<64 hex digits>} (the form of a file
 * checksum and of a container image digest alike). A bare 64-digit hex string is accepted and normalised.
 */
public record Digest(String value) {

    private static final String PREFIX = "sha256:";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        value = normalise(value);
    }

    public static Digest parse(String text) {
        return new Digest(text);
    }

    /** The SHA-256 of everything the stream yields (the stream is read to its end, not closed). */
    public static Digest of(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
        return new Digest(PREFIX + HexFormat.of().formatHex(sha.digest()));
    }

    /** The hex digits alone. */
    public String hex() {
        return value.substring(PREFIX.length());
    }

    /** {@code sha256:abcdef012345...} shortened for messages. */
    public String shortForm() {
        return PREFIX + hex().substring(0, 12);
    }

    private static String normalise(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("digest: must not be empty; give sha256:<64 hex digits> or pass the file so that its SHA-256 is computed");
        }
        String t = text.strip();
        String hex = t.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? t.substring(PREFIX.length()) : t;
        int colon = hex.indexOf(':');
        if (colon >= 0) {
            throw new IllegalArgumentException("digest: '" + Inputs.printable(t) + "' uses the algorithm '"
                    + Inputs.printable(t.substring(0, t.indexOf(':'))) + "'; only sha256:<64 hex digits> is accepted");
        }
        String lower = hex.toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(lower).matches()) {
            String problem = lower.length() != 64
                    ? "has " + lower.length() + " characters after 'sha256:' instead of 64"
                    : "contains characters that are not hex digits (0-9, a-f)";
            throw new IllegalArgumentException("digest: '" + Inputs.printable(t) + "' " + problem
                    + "; give sha256:<64 hex digits>, e.g. the output of sha256sum or an image digest");
        }
        return PREFIX + lower;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
