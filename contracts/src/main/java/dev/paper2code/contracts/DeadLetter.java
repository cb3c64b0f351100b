package dev.paper2code.contracts;

import java.time.Instant;

/**
 * A record some stage could not turn into output, with why. Nothing is dropped silently: the original
 * payload travels with the reason so that it can be fixed and published again.
 *
 * @param stage   the service that rejected it, e.g. {@code parser}
 * @param reason  a stable machine-readable code, e.g. {@code NO_PAPER_TEXT}
 * @param detail  a human-readable explanation
 * @param source  where the rejected record came from (same format as {@link TextPair#source()})
 * @param payload the rejected input as text, unchanged
 * @param at      when it was rejected
 */
public record DeadLetter(
        String stage,
        String reason,
        String detail,
        String source,
        String payload,
        Instant at) {

    /** Identifies the rejection by what was rejected and why, not by when: equal inputs give equal keys. */
    public long fingerprint() {
        return Fingerprints.of(stage, reason, payload);
    }

    /** The record key on the dead-letter topic: {@code <stage>:<fingerprint in hex>}. */
    public String key() {
        return stage + ":" + Long.toHexString(fingerprint());
    }
}
