package dev.paper2code.training.run;

import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.training.data.PairSource;
import java.util.function.BooleanSupplier;

/** A split's record count and tokenizer, from one pass; a topic that mixes tokenizers is refused. */
final class DataSummary {
    long count;
    String fingerprint;
    int maxLength;

    static DataSummary of(PairSource topic, BooleanSupplier stop) {
        DataSummary summary = new DataSummary();
        try (PairSource.Pass pass = topic.open(stop)) {
            while (pass.hasNext()) {
                summary.add(pass.next(), topic.name());
            }
        }
        return summary;
    }

    /** Older versions of republished pairs leave the count; later passes read newest versions only. */
    long dropOlderVersions(PairSource topic) {
        long older = topic.keepLatestVersions();
        count -= older;
        return older;
    }

    private void add(TokenizedPair pair, String topic) {
        if (fingerprint == null) {
            fingerprint = pair.tokenizerFingerprint();
        } else if (!fingerprint.equals(pair.tokenizerFingerprint())) {
            throw new IllegalStateException("topic " + topic + " mixes tokenizers: pair " + pair.pairId()
                    + " has fingerprint " + pair.tokenizerFingerprint() + ", earlier pairs " + fingerprint
                    + "; re-tokenize into fresh topics");
        }
        // Valid records hold no more ids than their max_length, so this is the tokenizer's truncation length.
        maxLength = Math.max(maxLength, pair.maxLength());
        count++;
    }
}
