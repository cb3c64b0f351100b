package dev.paper2code.model.contrastive;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded batches of token ids of varied lengths for the tiny RoBERTa vocabulary (120 ids, pad 1); tests only. */
final class RandomBatches {
    private RandomBatches() {
    }

    static TokenBatch of(int size, int maxLength, long seed) {
        Random random = new Random(seed);
        List<int[]> sequences = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int[] ids = new int[2 + random.nextInt(maxLength - 1)];
            ids[0] = 0;
            for (int j = 1; j < ids.length - 1; j++) {
                ids[j] = 3 + random.nextInt(117);
            }
            ids[ids.length - 1] = 2;
            sequences.add(ids);
        }
        return TokenBatch.pad(sequences, 1);
    }
}
