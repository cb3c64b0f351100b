package dev.paper2code.tokenizer.topology;

import dev.paper2code.contracts.DatasetStats;

/** Adds a pair to, or removes it from, the statistics of its split (a changed pair is removed, then added). */
final class DatasetStatsAggregation {
    private DatasetStatsAggregation() {
    }

    static DatasetStats add(String split, PairSummary pair, DatasetStats stats) {
        return apply(split, pair, stats, 1);
    }

    static DatasetStats remove(String split, PairSummary pair, DatasetStats stats) {
        return apply(split, pair, stats, -1);
    }

    private static DatasetStats apply(String split, PairSummary pair, DatasetStats stats, int sign) {
        DatasetStats base = stats == null ? DatasetStats.empty(split) : stats;
        return new DatasetStats(split, base.pairs() + sign,
                base.paperTokens().plus(pair.paperTokens(), pair.paperTruncated(), sign),
                base.codeTokens().plus(pair.codeTokens(), pair.codeTruncated(), sign),
                pair.tokenizerFingerprint(), pair.maxLength());
    }
}
