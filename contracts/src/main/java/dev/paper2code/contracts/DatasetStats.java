package dev.paper2code.contracts;

/**
 * Statistics of one split of the tokenized dataset as it stands now (an updated pair replaces its old
 * version): the streaming counterpart of a {@code dataset_info.json}.
 */
public record DatasetStats(
        String split,
        long pairs,
        TokenLengths paperTokens,
        TokenLengths codeTokens,
        String tokenizerFingerprint,
        int maxLength) {

    public static DatasetStats empty(String split) {
        return new DatasetStats(split, 0, TokenLengths.EMPTY, TokenLengths.EMPTY, null, 0);
    }

    /**
     * A histogram of sequence lengths in tokens (special tokens included).
     *
     * @param bucketUpperBounds inclusive upper bound of each bucket but the last, which is open
     * @param bucketCounts      one more entry than {@code bucketUpperBounds}
     * @param truncated         sequences that were cut at the max length
     */
    public record TokenLengths(long count, long totalTokens, long truncated, int[] bucketUpperBounds, long[] bucketCounts) {
        public static final int[] BOUNDS = {16, 32, 64, 128, 256, 512};
        public static final TokenLengths EMPTY = new TokenLengths(0, 0, 0, BOUNDS, new long[BOUNDS.length + 1]);

        public double meanTokens() {
            return count == 0 ? 0 : (double) totalTokens / count;
        }

        public double truncationRate() {
            return count == 0 ? 0 : (double) truncated / count;
        }

        /** Adds ({@code sign} = 1) or removes ({@code sign} = -1) one sequence. */
        public TokenLengths plus(int length, boolean wasTruncated, int sign) {
            long[] counts = bucketCounts.clone();
            int bucket = 0;
            while (bucket < BOUNDS.length && length > BOUNDS[bucket]) {
                bucket++;
            }
            counts[bucket] += sign;
            return new TokenLengths(count + sign, totalTokens + (long) sign * length,
                    truncated + (wasTruncated ? sign : 0), BOUNDS, counts);
        }
    }
}
