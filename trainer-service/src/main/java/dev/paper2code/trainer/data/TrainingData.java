package dev.paper2code.trainer.data;

import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.Topics;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * A run's data as pull sources of duplicate-free batches: the train split shuffled per epoch with a
 * seed of (run seed, epoch), so a resumed run sees exactly the batches an uninterrupted one would;
 * the val split in topic order.
 */
public final class TrainingData {
    private final TopicPass train;
    private final TopicPass val;
    private final int batchSize;
    private final int shuffleBuffer;
    private final long seed;

    /** @param brokerWait how long a pass waits through a broker outage before it fails */
    public TrainingData(Map<String, Object> kafkaConfig, String trainTopic, String valTopic, int batchSize,
            int shuffleBuffer, long seed, java.time.Duration brokerWait) {
        this.train = new TopicPass(kafkaConfig, Topics.TOKENIZED_TRAIN.named(trainTopic), brokerWait);
        this.val = new TopicPass(kafkaConfig, Topics.TOKENIZED_VAL.named(valTopic), brokerWait);
        this.batchSize = batchSize;
        this.shuffleBuffer = shuffleBuffer;
        this.seed = seed;
    }

    /** Leaves out, from every later pass over either split, the records {@code validator} finds a problem with. */
    public void validateWith(PairValidator validator, SkippedRecords skipped) {
        train.validateWith(validator, skipped);
        val.validateWith(validator, skipped);
    }

    public TopicPass train() {
        return train;
    }

    public TopicPass val() {
        return val;
    }

    /** Batches of one pass, closed with the pass. */
    public record Batches(TopicPass.Pairs pass, NoDuplicatesBatchAssembler.BatchIterator iterator) implements AutoCloseable {
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
        TopicPass.Pairs pass = train.open(stop);
        return new Batches(pass, NoDuplicatesBatchAssembler.batches(pass, batchSize, shuffleBuffer,
                new Random(seed * 1_000_003L + epoch), NoDuplicatesBatchAssembler.Leftovers.LEAVE_OUT));
    }

    public Batches valBatches(BooleanSupplier stop) {
        TopicPass.Pairs pass = val.open(stop);
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
