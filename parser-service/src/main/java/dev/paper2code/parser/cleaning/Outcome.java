package dev.paper2code.parser.cleaning;

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
     */
    record Rejected(RejectReason reason, String detail, String source, String payload) implements Outcome {
    }
}
