package dev.paper2code.tokenizer.streams;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.TokenizedPair;

/** What became of one pairs-topic record: exactly one of the two is set. */
record TokenizeResult(TokenizedPair pair, DeadLetter deadLetter) {
    static TokenizeResult tokenized(TokenizedPair pair) {
        return new TokenizeResult(pair, null);
    }

    static TokenizeResult rejected(DeadLetter deadLetter) {
        return new TokenizeResult(null, deadLetter);
    }
}
