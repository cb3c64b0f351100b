package dev.paper2code.search;

import dev.paper2code.contracts.TopicNames;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** search-service settings: {@code search.*} in application.properties, {@code SEARCH_*} in the environment. */
@ConfigMapping(prefix = "search")
public interface SearchConfig {
    /**
     * Where the trainer writes checkpoints (its {@code trainer.run.checkpoint-dir}, the same volume):
     * the newest best checkpoint under it serves at start, and a checkpoint event naming a path
     * outside it is refused.
     */
    @WithDefault("checkpoints")
    String checkpointRoot();

    /** Where index directories are written; each build gets a new one, the old one is deleted after the switch. */
    @WithDefault("search-index")
    String indexRoot();

    /** Answer queries by brute force over the vectors instead of the HNSW graph (small corpora, tests). */
    @WithDefault("false")
    boolean exact();

    /** Largest k a query may ask for. */
    @WithDefault("1000")
    int maxK();

    /**
     * The Hugging Face model directory runs start from (the trainer's {@code model_dir}): when set, each
     * evaluation also ranks with it untrained, the "zero-shot" row beside BM25 and the trained model.
     */
    java.util.Optional<String> baselineModelDir();

    Hnsw hnsw();

    TopicsConfig topics();

    interface Hnsw {
        /** Neighbours per graph node (Lucene's M). */
        @WithDefault("32")
        int maxConnections();

        /** Candidates considered while inserting (Lucene's beam width). */
        @WithDefault("200")
        int beamWidth();

        /** Nearest neighbours a query collects before the top k are taken. */
        @WithDefault("400")
        int candidates();

        /**
         * Threads an index build adds repositories from, each filling a segment whose graph it builds;
         * unset: every core the JVM sees.
         */
        java.util.Optional<Integer> buildThreads();

        /**
         * Whether, once a new index serves, its segments (one per build thread, each with a graph of its
         * own) are merged into one graph on the build thread, before the evaluation, while it keeps
         * serving: at 200,000 repositories and 400 candidates, queries then answer 2.0x (Java 25) / 1.4x
         * (Java 17) faster at the same width, for a merge of 1.3-1.4x / 0.8x the build's time (BENCHMARKS.md).
         */
        @WithDefault("true")
        boolean mergeAfterServing();
    }

    interface TopicsConfig {
        @WithDefault(TopicNames.PAIRS)
        String pairs();

        /** The val split: its papers are the evaluation's queries. */
        @WithDefault(TopicNames.TOKENIZED_VAL)
        String val();

        @WithDefault(TopicNames.TRAINING_PROGRESS)
        String progress();
    }
}
