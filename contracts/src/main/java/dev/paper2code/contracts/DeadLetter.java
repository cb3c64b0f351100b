package dev.paper2code.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A record some stage could not turn into output, with why. Nothing is dropped silently: the original
 * payload travels with the reason so that it can be fixed and published again.
 *
 * <p>A dead letter always fits on its topic, whatever was rejected: the payload is kept whole up to
 * {@link #MAX_PAYLOAD_BYTES} and cut there ({@code payloadTruncated}), with the original's size and
 * SHA-256 so that the cut one can still be recognised, and its {@code source} (topic-partition@offset)
 * says where the whole one is. Bytes that are not UTF-8 are kept exactly, base64-encoded.
 *
 * @param stage            the service that rejected it, e.g. {@code parser}
 * @param reason           a stable machine-readable code, e.g. {@code NO_PAPER_TEXT}
 * @param detail           a human-readable explanation (at most {@link #MAX_DETAIL_CHARS})
 * @param source           where the rejected record came from (same format as {@link TextPair#source()})
 * @param payload          the rejected input: text as it was, or base64 (see {@code payloadEncoding})
 * @param at               when it was rejected
 * @param payloadEncoding  {@code utf-8} or {@code base64}
 * @param payloadBytes     the size of the original payload in bytes
 * @param payloadSha256    SHA-256 of the original payload's bytes, hex
 * @param payloadTruncated whether {@code payload} holds only the first {@link #MAX_PAYLOAD_BYTES} bytes
 */
public record DeadLetter(
        String stage,
        String reason,
        String detail,
        String source,
        String payload,
        Instant at,
        String payloadEncoding,
        long payloadBytes,
        String payloadSha256,
        boolean payloadTruncated) {

    /** Kept payload; JSON escaping can grow text up to 6 times, which still fits the broker's 1 MB default. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    public static final int MAX_DETAIL_CHARS = 2000;
    public static final String UTF_8 = "utf-8";
    public static final String BASE64 = "base64";

    /** A dead letter for rejected text (JSON a stage could read as text). */
    public static DeadLetter ofText(String stage, String reason, String detail, String source, String payload,
            Instant at) {
        return of(stage, reason, detail, source, payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8), at);
    }

    /** A dead letter for rejected bytes: text when they are UTF-8, base64 otherwise; cut to {@link #MAX_PAYLOAD_BYTES}. */
    public static DeadLetter of(String stage, String reason, String detail, String source, byte[] payload, Instant at) {
        byte[] bytes = payload == null ? new byte[0] : payload;
        String sha256 = HexFormat.of().formatHex(Fingerprints.sha256().digest(bytes));
        boolean truncated = bytes.length > MAX_PAYLOAD_BYTES;
        byte[] kept = truncated ? Arrays.copyOf(bytes, MAX_PAYLOAD_BYTES) : bytes;
        String text = utf8(kept, truncated);
        String encoding = text != null ? UTF_8 : BASE64;
        String stored = text != null ? text : Base64.getEncoder().encodeToString(kept);
        return new DeadLetter(stage, reason, cap(detail), source, stored, at, encoding, bytes.length, sha256, truncated);
    }

    /** The kept payload's bytes (all of it unless {@code payloadTruncated}). */
    public byte[] payloadAsBytes() {
        return BASE64.equals(payloadEncoding) ? Base64.getDecoder().decode(payload)
                : String.valueOf(payload).getBytes(StandardCharsets.UTF_8);
    }

    /** Identifies the rejection by what was rejected and why, not by when: equal inputs give equal keys. */
    public long fingerprint() {
        // A whole payload hashes as before (keys of earlier dead letters stay valid); a cut one by the
        // hash of the original, so two large inputs that share their first 64 KiB stay apart.
        return payloadTruncated ? Fingerprints.of(stage, reason, payloadSha256) : Fingerprints.of(stage, reason, payload);
    }

    /** The record key on the dead-letter topic: {@code <stage>:<fingerprint in hex>}. */
    public String key() {
        return stage + ":" + Long.toHexString(fingerprint());
    }

    /** The bytes as text when they are UTF-8 (a cut may split the last character: up to 3 bytes are dropped), else null. */
    private static String utf8(byte[] bytes, boolean truncated) {
        for (int drop = 0; drop <= (truncated ? 3 : 0) && drop <= bytes.length; drop++) {
            Optional<String> text = StrictUtf8.decode(bytes, bytes.length - drop);
            if (text.isPresent()) {
                return text.get();
            }
        }
        return null;
    }

    private static String cap(String detail) {
        if (detail == null || detail.length() <= MAX_DETAIL_CHARS) {
            return detail;
        }
        return detail.substring(0, MAX_DETAIL_CHARS) + "… (" + detail.length() + " characters)";
    }
}
