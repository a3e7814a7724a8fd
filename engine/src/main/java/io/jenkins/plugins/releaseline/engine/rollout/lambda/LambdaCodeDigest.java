package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a function's zip in both spellings: {@code sha256:<hex>} as artifacts are promoted, and the
 * base64 that Lambda reports as {@code CodeSha256}. Both name the same 32 bytes.
 */
public record LambdaCodeDigest(byte[] sha256) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public LambdaCodeDigest {
        if (sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("digest: a SHA-256 has 32 bytes");
        }
        sha256 = sha256.clone();
    }

    /** {@code sha256:<64 hex digits>} or the 64 hex digits alone, in either case. */
    public static LambdaCodeDigest parse(String digest) {
        if (digest == null || digest.isBlank()) {
            throw new IllegalArgumentException("digest: must not be empty; give the promoted digest as sha256:<64 hex digits>");
        }
        String t = digest.strip();
        String hex = (t.regionMatches(true, 0, "sha256:", 0, 7) ? t.substring(7) : t).toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("digest: '" + (t.length() > 80 ? t.substring(0, 80) + "..." : t)
                    + "' is not sha256:<64 hex digits>; give the output of sha256sum of the zip");
        }
        return new LambdaCodeDigest(HexFormat.of().parseHex(hex));
    }

    /** Lambda's {@code CodeSha256}: the base64 of the 32 bytes. */
    public static LambdaCodeDigest fromCodeSha256(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CodeSha256: '" + base64 + "' is not base64", e);
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("CodeSha256: '" + base64 + "' does not decode to the 32 bytes of a SHA-256");
        }
        return new LambdaCodeDigest(bytes);
    }

    public static LambdaCodeDigest of(byte[] zip) {
        try {
            return new LambdaCodeDigest(MessageDigest.getInstance("SHA-256").digest(zip));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** As promoted: {@code sha256:<hex>}. */
    public String promoted() {
        return "sha256:" + hex();
    }

    /** As Lambda reports it. */
    public String codeSha256() {
        return Base64.getEncoder().encodeToString(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LambdaCodeDigest d && MessageDigest.isEqual(sha256, d.sha256);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return promoted() + " (CodeSha256 " + codeSha256() + ")";
    }
}
