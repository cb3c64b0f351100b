package dev.paper2code.model.contrastive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Token ids of several texts, padded to the longest with the pad id, and their attention masks.
 * Stored row-major as {@code [size, length]}.
 */
public record TokenBatch(long[] ids, long[] mask, int size, int length) {

    public static TokenBatch pad(List<int[]> sequences, int padTokenId) {
        int length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        long[] ids = new long[sequences.size() * length];
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(ids, padTokenId);
        for (int row = 0; row < sequences.size(); row++) {
            int[] sequence = sequences.get(row);
            for (int i = 0; i < sequence.length; i++) {
                ids[row * length + i] = sequence[i];
                mask[row * length + i] = 1;
            }
        }
        return new TokenBatch(ids, mask, sequences.size(), length);
    }

    public static TokenBatch of(long[][] ids, long[][] mask) {
        int length = ids.length == 0 ? 0 : ids[0].length;
        long[] flatIds = new long[ids.length * length];
        long[] flatMask = new long[flatIds.length];
        for (int row = 0; row < ids.length; row++) {
            System.arraycopy(ids[row], 0, flatIds, row * length, length);
            System.arraycopy(mask[row], 0, flatMask, row * length, length);
        }
        return new TokenBatch(flatIds, flatMask, ids.length, length);
    }

    /** Rows {@code [from, to)}, with the same padded length. */
    public TokenBatch rows(int from, int to) {
        if (from < 0 || to > size || from >= to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") of a batch of " + size);
        }
        return new TokenBatch(java.util.Arrays.copyOfRange(ids, from * length, to * length),
                java.util.Arrays.copyOfRange(mask, from * length, to * length), to - from, length);
    }

    NDArray idsArray(NDManager manager) {
        return manager.create(ids, new Shape(size, length));
    }

    NDArray maskArray(NDManager manager) {
        return manager.create(mask, new Shape(size, length));
    }
}
