package dev.paper2code.contracts;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the system, defined once: name, key and value serdes, partitions, cleanup policy.
 * Keys are strings everywhere. The record formats and restart semantics are in {@code docs/topics.md}.
 */
public final class Topics {
    private static final Serde<String> KEYS = Serdes.String();

    /**
     * Seed-format entries ({@link PaperEntry}, one JSON object or an array per record) that users
     * publish; the parser's input. Raw bytes: anything may arrive here, and the parser judges it.
     */
    public static final Topic<String, byte[]> RAW_ENTRIES =
            new Topic<>(TopicNames.RAW_ENTRIES, KEYS, Serdes.ByteArray(), 3, false);

    /** Cleaned {@link TextPair}s keyed by pair id; compacted. */
    public static final Topic<String, TextPair> PAIRS =
            new Topic<>(TopicNames.PAIRS, KEYS, JsonSerde.of(TextPair.class), 3, true);

    /** {@link DeadLetter}s from every stage, keyed by the id of what was rejected. */
    public static final Topic<String, DeadLetter> DEAD_LETTERS =
            new Topic<>(TopicNames.DEAD_LETTERS, KEYS, JsonSerde.of(DeadLetter.class), 3, false);

    /** {@link TokenizedPair}s of the training split, keyed by pair id. */
    public static final Topic<String, TokenizedPair> TOKENIZED_TRAIN =
            new Topic<>(TopicNames.TOKENIZED_TRAIN, KEYS, JsonSerde.of(TokenizedPair.class), 3, false);

    /** {@link TokenizedPair}s of the validation split, keyed by pair id. */
    public static final Topic<String, TokenizedPair> TOKENIZED_VAL =
            new Topic<>(TopicNames.TOKENIZED_VAL, KEYS, JsonSerde.of(TokenizedPair.class), 3, false);

    /** {@link DatasetStats} per split, keyed by split name; one partition, compacted. */
    public static final Topic<String, DatasetStats> DATASET_STATS =
            new Topic<>(TopicNames.DATASET_STATS, KEYS, JsonSerde.of(DatasetStats.class), 1, true);

    /** {@link TrainingEvent}s keyed by run id: what every training run did, in order; one partition. */
    public static final Topic<String, TrainingEvent> TRAINING_PROGRESS =
            new Topic<>(TopicNames.TRAINING_PROGRESS, KEYS, JsonSerde.of(TrainingEvent.class), 1, false);

    private Topics() {
    }
}
