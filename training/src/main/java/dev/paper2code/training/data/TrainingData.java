package dev.paper2code.training.data;

import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import dev.paper2code.training.settings.RunSettings;

/**
 * A run's data as pull sources of duplicate-free batches: the train split shuffled per epoch with a
 * seed of (run seed, epoch), so a resumed run sees exactly the batches an uninterrupted one would;
 * the val split in source order. Where the pairs come from is the {@link PairSource}s' business.
 */
public final class TrainingData {
    private final PairSource train;
    private final PairSource val;
    private final int batchSize;
    private final int shuffleBuffer;
    private final long seed;

    public TrainingData(PairSource train, PairSource val, int batchSize, int shuffleBuffer, long seed) {
        this.train = train;
        this.val = val;
        this.batchSize = batchSize;
        this.shuffleBuffer = shuffleBuffer;
        this.seed = seed;
    }

    /**
     * The tokenized train and val topics of {@code settings}, batched as it says; a pass waits
     * {@code broker_wait_seconds} through a broker outage before it fails.
     */
    public static TrainingData fromTopics(Map<String, Object> kafkaConfig, RunSettings settings) {
        Duration brokerWait = Duration.ofSeconds(settings.brokerWaitSeconds());
        return new TrainingData(new TopicPass(kafkaConfig, Topics.TOKENIZED_TRAIN.named(settings.trainTopic()), brokerWait),
                new TopicPass(kafkaConfig, Topics.TOKENIZED_VAL.named(settings.valTopic()), brokerWait),
                settings.batchSize(), settings.shuffleBuffer(), settings.seed());
    }

    /** The pairs of {@code train} and {@code val}, batched as {@code settings} says. */
    public static TrainingData inMemory(List<TokenizedPair> train, List<TokenizedPair> val, RunSettings settings) {
        return new TrainingData(new InMemoryPairs(settings.trainTopic(), train), new InMemoryPairs(settings.valTopic(), val),
                settings.batchSize(), settings.shuffleBuffer(), settings.seed());
    }

    /** Leaves out, from every later pass over either split, the records {@code validator} finds a problem with. */
    public void validateWith(PairValidator validator, SkippedRecords skipped) {
        train.validateWith(validator, skipped);
        val.validateWith(validator, skipped);
    }

    public PairSource train() {
        return train;
    }

    public PairSource val() {
        return val;
    }

    /** Batches of one pass, closed with the pass. */
    public record Batches(PairSource.Pass pass, NoDuplicatesBatchAssembler.BatchIterator iterator) implements AutoCloseable {
        public boolean hasNext() {
            return iterator.hasNext();
        }

        public List<TokenizedPair> next() {
            return iterator.next();
        }

        /** Pairs no batch of this pass took (see {@link NoDuplicatesBatchAssembler.Leftovers}). */
        public long leftOut() {
            return iterator.leftOut();
        }

        @Override
        public void close() {
            pass.close();
        }
    }

    public Batches trainBatches(int epoch, BooleanSupplier stop) {
        PairSource.Pass pass = train.open(stop);
        return new Batches(pass, NoDuplicatesBatchAssembler.batches(pass, batchSize, shuffleBuffer,
                new Random(seed * 1_000_003L + epoch), NoDuplicatesBatchAssembler.Leftovers.LEAVE_OUT));
    }

    public Batches valBatches(BooleanSupplier stop) {
        PairSource.Pass pass = val.open(stop);
        return new Batches(pass, NoDuplicatesBatchAssembler.batches(pass, batchSize, shuffleBuffer, null,
                NoDuplicatesBatchAssembler.Leftovers.KEEP));
    }

    /** What an epoch's pass forms: its steps (batches) and the pairs no batch took. */
    public record EpochPlan(long steps, long leftOut) {
    }

    /**
     * Epoch {@code epoch}'s batches counted, not trained on: a pass that forms exactly the batches
     * {@link #trainBatches} will (same records, same seed), holding no more than the assembler does, so
     * the learning-rate schedule can follow the batches actually formed.
     */
    public EpochPlan plan(int epoch, BooleanSupplier stop) {
        long steps = 0;
        try (Batches batches = trainBatches(epoch, stop)) {
            while (batches.hasNext()) {
                batches.next();
                steps++;
            }
            return new EpochPlan(steps, batches.leftOut());
        }
    }

    /** Records of the current passes not read yet. */
    public long remaining() {
        return train.remaining() + val.remaining();
    }
}
