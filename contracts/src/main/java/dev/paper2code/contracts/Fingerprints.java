package dev.paper2code.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Stable content hashes: the same parts give the same value in every JVM, on every run. */
public final class Fingerprints {
    private Fingerprints() {
    }

    /** The first 64 bits of SHA-256 over the parts, each followed by a NUL so that boundaries count. */
    public static long of(String... parts) {
        byte[] hash = sha256(parts);
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (hash[i] & 0xff);
        }
        return value;
    }

    public static byte[] sha256(String... parts) {
        MessageDigest digest = sha256();
        for (String part : parts) {
            digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return digest.digest();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
