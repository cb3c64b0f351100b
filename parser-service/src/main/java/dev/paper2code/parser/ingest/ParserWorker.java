package dev.paper2code.parser.ingest;

import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.Topics;
import dev.paper2code.parser.ParserConfig;
import dev.paper2code.cleaning.CleanedEntry;
import dev.paper2code.cleaning.EntryCleaner;
import dev.paper2code.parser.publishing.DeletedPairs;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The parser's one worker thread. At start it rebuilds the index of what is already published, imports
 * the configured file ({@link FileImport}), then consumes the raw topic in a consume-transform-produce
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
    private volatile FileImport fileTally;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Stall stall;

    /** Raw-topic batches have failed and been retried since {@code since} (System.nanoTime), for {@code cause}. */
    public record Stall(long since, String partitions, String cause) {
        public java.time.Duration age() {
            return java.time.Duration.ofNanos(System.nanoTime() - since);
        }
    }
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

    /** The raw-topic partitions that have not advanced because every try of their batch failed; empty when flowing. */
    public java.util.Optional<Stall> stall() {
        return java.util.Optional.ofNullable(stall);
    }

    public State state() {
        return state;
    }

    public String failure() {
        return failure;
    }

    /** The seed file's counts so far (null when there is none), a copy: the import adds to it chunk by chunk. */
    public Tally fileTally() {
        FileImport current = fileTally;
        return current == null ? null : current.tally();
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
                FileImport fileImport = new FileImport(producer, index, publisher, cleaner, config.fileChunk());
                fileTally = fileImport;
                fileImport.run(config.inputFile().get());
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

    private void consumeRaw(KafkaConsumer<String, byte[]> kafkaConsumer, KafkaProducer<String, byte[]> producer,
            PublishedIndex index, OutcomePublisher publisher) {
        kafkaConsumer.subscribe(List.of(config.topics().raw()));
        LOG.infof("Consuming raw entries from %s", config.topics().raw());
        long nextProgress = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
        long loggedEntries = 0;
        try (DeletedPairs deletes = new DeletedPairs(kafkaConfig, config.topics().pairs())) {
            while (running) {
                ConsumerRecords<String, byte[]> records = kafkaConsumer.poll(Duration.ofMillis(500));
                int forgotten = deletes.forgetDeleted(index);
                if (forgotten > 0) {
                    LOG.infof("%d pairs deleted on %s: publishing their entries again brings them back", forgotten,
                            config.topics().pairs());
                }
                if (!records.isEmpty()) {
                    try {
                        Tally tally = KafkaTransactions.run(producer, index, () -> {
                            List<CleanedEntry> entries = new ArrayList<>();
                            for (ConsumerRecord<String, byte[]> record : records) {
                                String source = record.topic() + "-" + record.partition() + "@" + record.offset();
                                entries.addAll(cleaner.clean(record.value(), source));
                            }
                            Tally batch = publisher.publish(entries);
                            producer.sendOffsetsToTransaction(KafkaTransactions.nextOffsets(records), kafkaConsumer.groupMetadata());
                            return batch;
                        });
                        synchronized (this) {
                            rawTally.add(tally);
                        }
                        stall = null;
                    } catch (KafkaTransactions.RetriableBatchException e) {
                        String cause = KafkaTransactions.rootCause(e);
                        stall = new Stall(stall == null ? System.nanoTime() : stall.since(), records.partitions().toString(), cause);
                        LOG.warnf("Batch of %d records from %s aborted, will be consumed again: %s", records.count(),
                                records.partitions(), cause);
                        KafkaTransactions.rewindToCommitted(kafkaConsumer, records.partitions());
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
    }

    private void provisionTopics() {
        ParserConfig.TopicsConfig topics = config.topics();
        var created = topics.ensureExist(kafkaConfig, List.of(
                Topics.RAW_ENTRIES.named(topics.raw()).withPartitions(topics.partitions()),
                Topics.PAIRS.named(topics.pairs()).withPartitions(topics.partitions()),
                Topics.DEAD_LETTERS.named(topics.deadLetters()).withPartitions(topics.partitions())));
        if (!created.isEmpty()) {
            LOG.infof("Created topics %s", created);
        }
    }

    private KafkaProducer<String, byte[]> createProducer() {
        return new KafkaProducer<>(KafkaClients.transactionalProducer(kafkaConfig, config.transactionalId()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> createConsumer() {
        return new KafkaConsumer<>(KafkaClients.groupConsumer(kafkaConfig, config.groupId(),
                config.transactionalId() + "-consumer"), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
