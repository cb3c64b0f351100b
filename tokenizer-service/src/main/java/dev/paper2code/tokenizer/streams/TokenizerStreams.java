package dev.paper2code.tokenizer.streams;

import dev.paper2code.contracts.DatasetStats;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TopicProvisioning;
import dev.paper2code.contracts.TopicScan;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenization.WordPieceTrainer;
import dev.paper2code.tokenizer.TokenizerConfig;
import dev.paper2code.tokenizer.split.SplitAssigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;

/**
 * Runs the tokenizer topology in the Quarkus application's lifetime. At start, on its own thread: waits
 * for the pairs topic, creates the output topics, loads the tokenizer (or learns one from the pairs
 * topic when none is configured), then starts Kafka Streams with exactly-once processing.
 */
@ApplicationScoped
public class TokenizerStreams {
    private static final Logger LOG = Logger.getLogger(TokenizerStreams.class);
    private static final Duration WAIT_STEP = Duration.ofSeconds(2);

    @Inject
    TokenizerConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry meters;

    private volatile String phase = "starting";
    private volatile String failure;
    private volatile boolean stopping;
    private volatile KafkaStreams streams;
    private volatile TruncatingTokenizer tokenizer;
    private volatile TokenizerSnapshot snapshot;
    private Thread starter;

    void onStart(@Observes StartupEvent event) {
        starter = new Thread(this::start, "tokenizer-start");
        starter.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        starter.interrupt();
        starter.join(Duration.ofSeconds(10).toMillis());
        KafkaStreams running = streams;
        if (running != null) {
            running.close(Duration.ofSeconds(30));
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    /** A one-line description of what the service is doing, for health checks. */
    public String phase() {
        KafkaStreams running = streams;
        return running == null ? phase : running.state().name();
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    public boolean isRunning() {
        KafkaStreams running = streams;
        return running != null && running.state() == KafkaStreams.State.RUNNING;
    }

    public boolean hasFailed() {
        KafkaStreams running = streams;
        return failure != null || running != null && running.state() == KafkaStreams.State.ERROR;
    }

    public Optional<TruncatingTokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    public Optional<TokenizerSnapshot> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /** The current statistics of each split, from the local state store. */
    public Map<String, DatasetStats> datasetStats() {
        KafkaStreams running = streams;
        if (running == null || running.state() != KafkaStreams.State.RUNNING) {
            throw new IllegalStateException("the stream is not running yet: " + phase());
        }
        ReadOnlyKeyValueStore<String, DatasetStats> store = running.store(
                StoreQueryParameters.fromNameAndType(TokenizerTopology.STATS_STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, DatasetStats> stats = new HashMap<>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> stats.put(kv.key, kv.value));
        }
        return stats;
    }

    private void start() {
        try {
            TokenizerConfig.TopicsConfig topics = config.topics();
            try (Admin admin = Admin.create(kafkaConfig)) {
                awaitTopic(admin, topics.pairs());
                if (topics.create()) {
                    provisionTopics(admin, topics);
                }
            }
            snapshot = loadOrBuildSnapshot();
            tokenizer = new TruncatingTokenizer(snapshot, config.maxLength());
            LOG.infof("Tokenizer from %s (%s), max length %d, fingerprint %s", snapshot.directory(), snapshot.format(),
                    config.maxLength(), tokenizer.fingerprint());

            KafkaStreams created = new KafkaStreams(TokenizerTopology.build(tokenizer,
                    new SplitAssigner(config.validationRatio(), config.splitSalt()),
                    new TokenizerTopology.Topics(topics.pairs(), topics.train(), topics.val(), topics.deadLetters(),
                            topics.stats()),
                    Clock.systemUTC()), streamsProperties());
            created.setUncaughtExceptionHandler(e -> {
                failure = "stream thread failed: " + e;
                LOG.error("Kafka Streams thread failed; the application stops processing", e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            created.setStateListener((newState, oldState) -> LOG.infof("Kafka Streams %s -> %s", oldState, newState));
            new KafkaStreamsMetrics(created).bindTo(meters);
            if (stopping) {
                return;
            }
            streams = created;
            created.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            failure = e.getMessage();
            LOG.errorf(e, "Tokenizer failed to start: %s", e.getMessage());
        }
    }

    private void awaitTopic(Admin admin, String topic) throws InterruptedException {
        phase = "waiting for topic " + topic;
        boolean logged = false;
        while (!stopping) {
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
        throw new InterruptedException("stopped while waiting for " + topic);
    }

    private void provisionTopics(Admin admin, TokenizerConfig.TopicsConfig topics) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : List.of(topics.train(), topics.val(), topics.deadLetters())) {
            wanted.add(new NewTopic(name, topics.partitions(), topics.replicationFactor()));
        }
        wanted.add(new NewTopic(topics.stats(), 1, topics.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        Set<String> created = TopicProvisioning.ensureExist(admin, wanted);
        if (!created.isEmpty()) {
            LOG.infof("Created topics %s", created);
        }
    }

    private TokenizerSnapshot loadOrBuildSnapshot() throws IOException, InterruptedException {
        if (TokenizerSnapshot.exists(config.path()) || !config.buildIfMissing()) {
            phase = "loading tokenizer";
            return TokenizerSnapshot.read(config.path());
        }
        phase = "learning a vocabulary from " + config.topics().pairs();
        List<String> corpus = readCorpus();
        while (corpus.isEmpty() && !stopping) {
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
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        JsonSerde<TextPair> serde = JsonSerde.of(TextPair.class);
        List<String> corpus = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicScan.readToEnd(consumer, List.of(config.topics().pairs()), record -> {
                try {
                    TextPair pair = serde.deserialize(record.topic(), record.value());
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

    private Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(kafkaConfig);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topics().replicationFactor());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The topology catches its own processing errors; this only opts in to the handler's coming default.
        props.put("processing.exception.handler.global.enabled", true);
        return props;
    }
}
