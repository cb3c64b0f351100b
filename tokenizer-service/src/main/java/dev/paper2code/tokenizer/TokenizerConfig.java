package dev.paper2code.tokenizer;

import dev.paper2code.contracts.TopicNames;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Settings under {@code tokenizer.*}; also as environment variables ({@code TOKENIZER_MAX_LENGTH}). */
@ConfigMapping(prefix = "tokenizer")
public interface TokenizerConfig {

    /**
     * A local Hugging Face snapshot directory: {@code tokenizer.json}, or {@code vocab.json} +
     * {@code merges.txt}, or {@code vocab.txt}. When it holds none and {@link #buildIfMissing()} is on,
     * a WordPiece vocabulary is learned from the pairs topic and written there.
     */
    @WithDefault("tokenizer")
    Path path();

    @WithDefault("true")
    boolean buildIfMissing();

    /** Vocabulary size when building one. */
    @WithDefault("8000")
    int vocabSize();

    /** Sequences are truncated to this many tokens, special tokens included. */
    @WithDefault("512")
    int maxLength();

    /** Share of papers routed to validation. */
    @WithDefault("0.2")
    double validationRatio();

    /** Changing the salt reshuffles which papers are in validation. */
    @WithDefault("paper2code")
    String splitSalt();

    /** Kafka Streams application id: consumer group, transactional ids and internal topic prefix. */
    @WithDefault("paper2code-tokenizer")
    String applicationId();

    /** Where Kafka Streams keeps its local state (RocksDB stores); rebuilt from changelogs when lost. */
    @WithDefault("${java.io.tmpdir}/paper2code-tokenizer")
    Path stateDir();

    @WithDefault("1")
    int streamThreads();

    /** How often the exactly-once transaction commits ({@code commit.interval.ms}); see StreamsSettings. */
    @WithDefault("1s")
    java.time.Duration commitInterval();

    TopicsConfig topics();

    interface TopicsConfig extends dev.paper2code.contracts.TopicCreation {
        @WithDefault(TopicNames.PAIRS)
        String pairs();

        @WithDefault(TopicNames.TOKENIZED_TRAIN)
        String train();

        @WithDefault(TopicNames.TOKENIZED_VAL)
        String val();

        @WithDefault(TopicNames.DEAD_LETTERS)
        String deadLetters();

        @WithDefault(TopicNames.DATASET_STATS)
        String stats();
    }
}
