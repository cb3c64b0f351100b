package dev.paper2code.tokenizer.streams;

import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TopicCursor;
import dev.paper2code.contracts.Topics;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.WordPieceTrainer;
import dev.paper2code.tokenizer.TokenizerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * What has to be true before the topology can start: the pairs topic exists (parser-service creates
 * it), the output topics exist, and there is a tokenizer: the configured snapshot, or a WordPiece
 * vocabulary learned once from the pairs on the topic and written there, so that a restart loads it.
 */
final class TokenizerBootstrap {
    private static final Logger LOG = Logger.getLogger(TokenizerBootstrap.class);
    private static final Duration WAIT_STEP = Duration.ofSeconds(2);

    private final TokenizerConfig config;
    private final Map<String, Object> kafkaConfig;
    private final Consumer<String> phase;
    private final BooleanSupplier stopping;

    /** @param phase told what the bootstrap is doing, for health checks */
    TokenizerBootstrap(TokenizerConfig config, Map<String, Object> kafkaConfig, Consumer<String> phase,
            BooleanSupplier stopping) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.phase = phase;
        this.stopping = stopping;
    }

    /** Waits for the input, creates the outputs, and returns the tokenizer snapshot to use. */
    TokenizerSnapshot prepare() throws IOException, InterruptedException {
        TokenizerConfig.TopicsConfig topics = config.topics();
        awaitTopic(topics.pairs());
        Set<String> created = topics.ensureExist(kafkaConfig, List.of(
                Topics.TOKENIZED_TRAIN.named(topics.train()).withPartitions(topics.partitions()),
                Topics.TOKENIZED_VAL.named(topics.val()).withPartitions(topics.partitions()),
                Topics.DEAD_LETTERS.named(topics.deadLetters()).withPartitions(topics.partitions()),
                Topics.DATASET_STATS.named(topics.stats())));
        if (!created.isEmpty()) {
            LOG.infof("Created topics %s", created);
        }
        return loadOrBuildSnapshot();
    }

    private void awaitTopic(String topic) throws InterruptedException {
        phase.accept("waiting for topic " + topic);
        boolean logged = false;
        try (Admin admin = Admin.create(KafkaClients.withoutGroup(kafkaConfig))) {
            while (!stopping.getAsBoolean()) {
                try {
                    if (admin.listTopics().names().get().contains(topic)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    LOG.warnf("Cannot list topics yet: %s", e.getCause().getMessage());
                }
                if (!logged) {
                    LOG.infof("Waiting for topic %s (created by parser-service)", topic);
                    logged = true;
                }
                Thread.sleep(WAIT_STEP.toMillis());
            }
        }
        throw new InterruptedException("stopped while waiting for " + topic);
    }

    private TokenizerSnapshot loadOrBuildSnapshot() throws IOException, InterruptedException {
        if (TokenizerSnapshot.exists(config.path()) || !config.buildIfMissing()) {
            phase.accept("loading tokenizer");
            return TokenizerSnapshot.read(config.path());
        }
        phase.accept("learning a vocabulary from " + config.topics().pairs());
        List<String> corpus = readCorpus();
        while (corpus.isEmpty() && !stopping.getAsBoolean()) {
            LOG.infof("No pairs on %s yet to learn a vocabulary from; waiting", config.topics().pairs());
            Thread.sleep(WAIT_STEP.toMillis());
            corpus = readCorpus();
        }
        long started = System.nanoTime();
        Map<String, Integer> vocab = new WordPieceTrainer(config.vocabSize()).train(corpus);
        TokenizerSnapshot built = TokenizerSnapshot.writeWordPiece(config.path(), vocab);
        LOG.infof("Learned a WordPiece vocabulary of %d tokens from %d texts in %d ms; written to %s",
                vocab.size(), corpus.size(), Duration.ofNanos(System.nanoTime() - started).toMillis(), config.path());
        return built;
    }

    /** Paper and code texts of every pair on the topic now; the vocabulary is built once and then kept. */
    private List<String> readCorpus() {
        List<String> corpus = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.scanConsumer(kafkaConfig),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicCursor.readToEnd(consumer, List.of(config.topics().pairs()), record -> {
                try {
                    TextPair pair = Topics.PAIRS.deserializeValue(record.value());
                    if (pair != null) {
                        corpus.add(String.valueOf(pair.paperText()));
                        corpus.add(String.valueOf(pair.codeText()));
                    }
                } catch (SerializationException e) {
                    // Unreadable records are dead-lettered by the stream; they teach the vocabulary nothing.
                }
            });
        }
        return corpus;
    }
}
