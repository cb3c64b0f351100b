package dev.paper2code.parser;

import dev.paper2code.contracts.TopicNames;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings under {@code parser.*}; each can also be given as an environment variable
 * ({@code PARSER_INPUT_FILE}) or a system property ({@code -Dparser.input-file=...}).
 */
@ConfigMapping(prefix = "parser")
public interface ParserConfig {

    /** A {@code paper_code_pairs.json} file to import at start; none by default. */
    Optional<Path> inputFile();

    /**
     * Entries of the input file per Kafka transaction: the file is read as a stream and published in
     * transactions of this many entries (a whole 300,000-link export in one would outlive
     * {@code transaction.timeout.ms}); a restart skips what was published.
     */
    @WithDefault("1000")
    int fileChunk();

    /** Whether to keep consuming entries that users publish to the raw topic. */
    @WithDefault("true")
    boolean consumeRaw();

    /**
     * Kafka transactional id. Must be stable for one instance across restarts (so that a restarted
     * instance fences its zombie) and unique between instances: use the pod name in a StatefulSet.
     */
    @WithDefault("paper2code-parser-0")
    String transactionalId();

    /** Consumer group for the raw topic. */
    @WithDefault("paper2code-parser")
    String groupId();

    /**
     * A raw-topic partition whose batch has failed on every try for this long makes the service
     * unhealthy (liveness and readiness DOWN, the cause in the body), so that an orchestrator notices.
     */
    @WithDefault("60s")
    java.time.Duration stallTimeout();

    TopicsConfig topics();

    interface TopicsConfig extends dev.paper2code.contracts.TopicCreation {
        @WithDefault(TopicNames.RAW_ENTRIES)
        String raw();

        @WithDefault(TopicNames.PAIRS)
        String pairs();

        @WithDefault(TopicNames.DEAD_LETTERS)
        String deadLetters();
    }
}
