package dev.paper2code.tokenizer.topology;

import dev.paper2code.contracts.TokenizedPair;

/** The part of a tokenized pair the dataset statistics need; what the statistics table stores per pair. */
record PairSummary(String split, int paperTokens, boolean paperTruncated, int codeTokens, boolean codeTruncated,
        String tokenizerFingerprint, int maxLength) {

    static PairSummary of(TokenizedPair pair) {
        return new PairSummary(pair.split(), pair.paperInputIds().length, pair.paperTruncated(),
                pair.codeInputIds().length, pair.codeTruncated(), pair.tokenizerFingerprint(), pair.maxLength());
    }
}
