package dev.paper2code.contracts;

/**
 * Default topic names, as compile-time constants for configuration defaults ({@code @WithDefault}).
 * Every service lets them be overridden; these are the values documented in {@code docs/topics.md}.
 * Code uses the typed {@link Topics} instead.
 */
public final class TopicNames {
    /** Seed-format entries ({@link PaperEntry}) that users publish; the parser's input. */
    public static final String RAW_ENTRIES = "paper2code.raw-entries";
    /** Cleaned {@link TextPair}s keyed by pair id; compacted. */
    public static final String PAIRS = "paper2code.pairs";
    /** {@link DeadLetter}s from every stage, keyed by the id of what was rejected. */
    public static final String DEAD_LETTERS = "paper2code.dead-letters";

    /** {@link TokenizedPair}s of the training split, keyed by pair id. */
    public static final String TOKENIZED_TRAIN = "paper2code.tokenized.train";
    /** {@link TokenizedPair}s of the validation split, keyed by pair id. */
    public static final String TOKENIZED_VAL = "paper2code.tokenized.val";
    /** {@link DatasetStats} per split, keyed by split name; compacted. */
    public static final String DATASET_STATS = "paper2code.dataset-stats";

    /** {@link TrainingEvent}s keyed by run id: what every training run did, in order. */
    public static final String TRAINING_PROGRESS = "paper2code.training-progress";

    private TopicNames() {
    }
}
