package dev.paper2code.model.contrastive;

import dev.paper2code.model.encoder.DropoutRates;

/**
 * How {@link ContrastiveTrainer} computes a step, beyond the model's own options.
 *
 * @param dropout        dropout of the training forward (evaluation never drops); {@link DropoutRates#OFF}
 *                       makes a step deterministic
 * @param miniBatchSize  0: one forward and backward over the whole batch. Otherwise the cached InfoNCE of
 *                       GradCache / sentence-transformers' {@code CachedMultipleNegativesRankingLoss}: embed
 *                       the batch in mini-batches of this size without a graph, take the loss and its
 *                       gradient with respect to the embeddings over the whole batch, then re-encode each
 *                       mini-batch with a graph and back-propagate its slice of that gradient. Same gradient,
 *                       memory of one mini-batch, one extra forward.
 * @param seed           with {@code dropout} on, step s draws its masks from a generator seeded with
 *                       (seed, s, mini-batch), so a resumed run drops the same units as an uninterrupted one
 *                       and the re-encoding replays the first pass's masks
 */
public record TrainingOptions(DropoutRates dropout, int miniBatchSize, long seed) {
    public TrainingOptions {
        if (miniBatchSize < 0) {
            throw new IllegalArgumentException("mini_batch_size must be 0 (off) or positive, got " + miniBatchSize);
        }
    }

    /** No dropout, no caching: the step the golden references were computed with. */
    public static TrainingOptions deterministic() {
        return new TrainingOptions(DropoutRates.OFF, 0, 0L);
    }

    /** Whether a batch of {@code batchSize} pairs is split into mini-batches. */
    public boolean caches(int batchSize) {
        return miniBatchSize > 0 && miniBatchSize < batchSize;
    }
}
