package io.jenkins.plugins.releaseline.engine.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over a length-prefixed encoding of a record's fields, so that no two different records (moving
 * text from one field to the next, say) encode alike.
 */
final class ChainHash {

    static final String GENESIS = "0".repeat(64);

    private ChainHash() {}

    static String of(AuditRecord r) {
        return of(r.seq(), AuditTrail.toMicros(r.at()), r.controllerId(), r.principal(), r.action(), r.scope(),
                r.reason(), r.before(), r.after(), r.previousHash());
    }

    static String of(long seq, long micros, String controller, String principal, String action, String scope,
                     String reason, String before, String after, String previousHash) {
        MessageDigest sha = sha256();
        update(sha, Long.toString(seq));
        update(sha, Long.toString(micros));
        update(sha, controller);
        update(sha, principal);
        update(sha, action);
        update(sha, scope);
        update(sha, reason);
        update(sha, before);
        update(sha, after);
        update(sha, previousHash);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, String field) {
        if (field == null) {
            sha.update(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            return;
        }
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        sha.update(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
