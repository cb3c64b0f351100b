package dev.paper2code.cleaning;

import dev.paper2code.contracts.TextPair;

/** What became of one repository link, or of a whole entry that could not be read. */
public sealed interface Outcome {

    /** A link that became a training pair. */
    record Accepted(TextPair pair) implements Outcome {
    }

    /**
     * Something that cannot become a pair.
     *
     * @param payload the rejected JSON as text: the whole entry, or the one repository for a per-link rejection
     * @param bytes   the rejected record's bytes when they could not be read as text at all, else null
     */
    record Rejected(RejectReason reason, String detail, String source, String payload, byte[] bytes)
            implements Outcome {
        public Rejected(RejectReason reason, String detail, String source, String payload) {
            this(reason, detail, source, payload, null);
        }
    }
}
