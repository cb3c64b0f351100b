package dev.paper2code.retrieval.index;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A repository key as a Lucene term, for updates and deletes. Terms are limited to 32,766 UTF-8 bytes
 * (a 100 KB repository name once failed every build); the stored key has no such limit.
 */
final class KeyTerms {
    /** Far below Lucene's term limit; no real repository name comes near it. */
    static final int MAX_BYTES = 1_024;

    private KeyTerms() {
    }

    /**
     * {@code k:<key>}, or {@code h:<sha256 hex>} of a key too long for a term: the two prefixes keep
     * the namespaces apart, so no repository can be named after another's hash and replace it.
     */
    static String of(String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_BYTES) {
            return "k:" + key;
        }
        try {
            return "h:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static String abbreviate(String key) {
        return key.length() <= 80 ? key : key.substring(0, 80) + "... (" + key.length() + " characters)";
    }
}
