package dev.paper2code.tokenizer.topology;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.TokenizedPair;

/**
 * What became of one pairs-topic record: a tokenized pair, a dead letter, or a delete (a tombstone of
 * the pairs topic, passed on as a tombstone to the split its paper belongs to): exactly one is set.
 */
record TokenizeResult(TokenizedPair pair, DeadLetter deadLetter, String deletedFromSplit) {
    static TokenizeResult tokenized(TokenizedPair pair) {
        return new TokenizeResult(pair, null, null);
    }

    static TokenizeResult rejected(DeadLetter deadLetter) {
        return new TokenizeResult(null, deadLetter, null);
    }

    static TokenizeResult deleted(String split) {
        return new TokenizeResult(null, null, split);
    }

    /** The split the record goes to: the pair's, or the deleted pair's; null for a dead letter. */
    String split() {
        return pair != null ? pair.split() : deletedFromSplit;
    }
}
