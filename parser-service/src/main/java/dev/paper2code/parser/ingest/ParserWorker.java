package dev.paper2code.parser.ingest;

import dev.paper2code.contracts.TopicProvisioning;
import dev.paper2code.parser.ParserConfig;
import dev.paper2code.parser.cleaning.CleanedEntry;
import dev.paper2code.parser.cleaning.EntryCleaner;
import dev.paper2code.parser.publishing.IndexLoader;
import dev.paper2code.parser.publishing.OutcomePublisher;
import dev.paper2code.parser.publishing.PublishedIndex;
import dev.paper2code.parser.publishing.Tally;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The parser's one worker thread. At start it rebuilds the index of what is already published, imports
 * the configured file in one transaction, then consumes the raw topic in a consume-transform-produce
 * loop where the outputs of a poll and the consumed offsets commit in one Kafka transaction. A crash
 * at any point therefore leaves either all of a batch's outputs and its offsets, or none.
 */
@ApplicationScoped
public class ParserWorker {
    private static final Logger LOG = Logger.getLogger(ParserWorker.class);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(30);

    public enum State { STARTING, LOADING_INDEX, IMPORTING_FILE, CONSUMING, IDLE, FAILED, STOPPED }

    @Inject
    ParserConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry meters;

    private final EntryCleaner cleaner = new EntryCleaner();
    private final Tally rawTally = new Tally();
    private volatile State state = State.STARTING;
    private volatile String failure;
    private volatile Tally fileTally;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::run, "parser-worker");
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.join(Duration.ofSeconds(30).toMillis());
    }

    public State state() {
        return state;
    }

    public String failure() {
        return failure;
    }

    /** The summary of the file import, once it finished. */
    public Tally fileTally() {
        return fileTally;
    }

    public synchronized Tally rawTally() {
        Tally copy = new Tally();
        copy.add(rawTally);
        return copy;
    }

    private void run() {
        try (KafkaProducer<String, byte[]> producer = createProducer();
             KafkaConsumer<String, byte[]> kafkaConsumer = createConsumer()) {
            consumer = kafkaConsumer;
            new KafkaClientMetrics(producer).bindTo(meters);
            new KafkaClientMetrics(kafkaConsumer).bindTo(meters);
            provisionTopics();
            producer.initTransactions();

            state = State.LOADING_INDEX;
            PublishedIndex index = new IndexLoader().load(kafkaConsumer, config.topics().pairs(),
                    config.topics().deadLetters());
            LOG.infof("Index of published records rebuilt: %d keys", index.size());
            OutcomePublisher publisher = new OutcomePublisher(producer, index, config.topics().pairs(),
                    config.topics().deadLetters(), meters, Clock.systemUTC());

            if (config.inputFile().isPresent()) {
                state = State.IMPORTING_FILE;
                importFile(config.inputFile().get(), producer, index, publisher);
            }
            if (config.consumeRaw()) {
                state = State.CONSUMING;
                consumeRaw(kafkaConsumer, producer, index, publisher);
            } else {
                state = State.IDLE;
            }
            if (!running) {
                state = State.STOPPED;
            }
        } catch (WakeupException e) {
            state = State.STOPPED;
        } catch (RuntimeException e) {
            failure = e.getMessage();
            state = State.FAILED;
            LOG.errorf(e, "Parser stopped: %s", e.getMessage());
        } finally {
            consumer = null;
        }
    }

    private void importFile(Path path, KafkaProducer<String, byte[]> producer, PublishedIndex index,
            OutcomePublisher publisher) {
        List<CleanedEntry> entries = SeedFile.read(path, cleaner);
        Tally tally = transactionally(producer, index, () -> publisher.publish(entries));
        fileTally = tally;
        LOG.info(tally.summary(path.getFileName().toString()));
    }

    private void consumeRaw(KafkaConsumer<String, byte[]> kafkaConsumer, KafkaProducer<String, byte[]> producer,
            PublishedIndex index, OutcomePublisher publisher) {
        kafkaConsumer.subscribe(List.of(config.topics().raw()));
        LOG.infof("Consuming raw entries from %s", config.topics().raw());
        long nextProgress = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
        long loggedEntries = 0;
        while (running) {
            ConsumerRecords<String, byte[]> records = kafkaConsumer.poll(Duration.ofMillis(500));
            if (!records.isEmpty()) {
                try {
                    Tally tally = transactionally(producer, index, () -> {
                        List<CleanedEntry> entries = new ArrayList<>();
                        for (ConsumerRecord<String, byte[]> record : records) {
                            String source = record.topic() + "-" + record.partition() + "@" + record.offset();
                            String value = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
                            entries.addAll(cleaner.clean(value, source));
                        }
                        Tally batch = publisher.publish(entries);
                        producer.sendOffsetsToTransaction(nextOffsets(records), kafkaConsumer.groupMetadata());
                        return batch;
                    });
                    synchronized (this) {
                        rawTally.add(tally);
                    }
                } catch (RetriableBatchException e) {
                    LOG.warnf("Batch aborted, will be consumed again: %s", e.getCause().getMessage());
                    rewindToCommitted(kafkaConsumer, records.partitions());
                }
            }
            if (System.nanoTime() > nextProgress) {
                Tally snapshot = rawTally();
                if (snapshot.entries() != loggedEntries) {
                    LOG.infof("Raw topic so far: %s", snapshot.oneLine());
                    loggedEntries = snapshot.entries();
                }
                nextProgress = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
            }
        }
    }

    /**
     * Runs {@code work} in a Kafka transaction and commits the index with it. Errors after which this
     * producer may not go on (fenced by a newer instance, lost sequence, no permission) end the worker;
     * any other Kafka error aborts, and the caller retries the same input.
     */
    private static Tally transactionally(KafkaProducer<String, byte[]> producer, PublishedIndex index,
            Supplier<Tally> work) {
        producer.beginTransaction();
        try {
            Tally tally = work.get();
            producer.commitTransaction();
            index.commit();
            return tally;
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            index.abort();
            throw e;
        } catch (KafkaException e) {
            producer.abortTransaction();
            index.abort();
            throw new RetriableBatchException(e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private static void rewindToCommitted(KafkaConsumer<String, byte[]> consumer, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
    }

    private void provisionTopics() {
        if (!config.topics().create()) {
            return;
        }
        ParserConfig.TopicsConfig topics = config.topics();
        List<NewTopic> wanted = List.of(
                new NewTopic(topics.raw(), topics.partitions(), topics.replicationFactor()),
                new NewTopic(topics.pairs(), topics.partitions(), topics.replicationFactor())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(topics.deadLetters(), topics.partitions(), topics.replicationFactor()));
        try (Admin admin = Admin.create(kafkaConfig)) {
            var created = TopicProvisioning.ensureExist(admin, wanted);
            if (!created.isEmpty()) {
                LOG.infof("Created topics %s", created);
            }
        }
    }

    private KafkaProducer<String, byte[]> createProducer() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> createConsumer() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-consumer");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static final class RetriableBatchException extends RuntimeException {
        RetriableBatchException(KafkaException cause) {
            super(cause);
        }
    }
}
