package dev.paper2code.parser.publishing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.cleaning.CleanedEntry;
import dev.paper2code.cleaning.EntryCleaner;
import dev.paper2code.cleaning.Outcome;
import dev.paper2code.testkit.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What a restarted parser does with input it has seen before, against a real broker: the index is
 * rebuilt from the topics, so identical pairs and dead letters are not sent again, changed ones are,
 * and an aborted transaction leaves nothing behind for read-committed subscribers. Run against each
 * kind of broker by its subclasses.
 */
abstract class RepublishAfterRestartContract {
    private static final String PAIRS = "restart.pairs";
    private static final String DEAD_LETTERS = "restart.dead-letters";

    private static final String ENTRIES = """
            [{"paper": {"arxiv_id": "r-1", "title": "Paper One", "abstract": "First."},
              "repositories": [{"name": "example/one"}, {"name": "example/one-more", "description": "More."}]},
             {"paper": {"arxiv_id": "r-2", "title": "Paper Two", "abstract": ""}, "repositories": []}]
            """;

    /** The broker under test; its topics {@code restart.pairs} and {@code restart.dead-letters} exist. */
    abstract String bootstrapServers();

    static void createTopics(Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic(PAIRS, 2, (short) 1), new NewTopic(DEAD_LETTERS, 2, (short) 1)))
                .all().get();
    }

    @Test
    void aRestartedParserSendsOnlyWhatIsNewOrChanged() {
        List<CleanedEntry> entries = new EntryCleaner().clean(ENTRIES, "file:restart.json");

        Tally first = publishInOneTransaction(loadIndex(), entries, true);
        assertEquals(2, first.pairsCreated());
        assertEquals(1, first.deadLettered());

        Tally again = publishInOneTransaction(loadIndex(), entries, true);
        assertEquals(0, again.pairsCreated());
        assertEquals(0, again.deadLettered());
        assertEquals(3, again.alreadyPublished());

        List<CleanedEntry> changed = new EntryCleaner().clean(ENTRIES.replace("First.", "First, revised."), "raw-0@9");
        Tally revised = publishInOneTransaction(loadIndex(), changed, true);
        assertEquals(2, revised.pairsCreated(), "both pairs of the revised paper changed text");
        assertEquals(1, revised.alreadyPublished());

        List<ConsumerRecord<String, TextPair>> pairs = TopicReader.readAtLeast(bootstrapServers(), PAIRS,
                JsonSerde.of(TextPair.class), 4, Duration.ofSeconds(20));
        assertEquals(4, pairs.size());
        assertEquals(2, pairs.stream().filter(r -> r.value().paperText().endsWith("revised.")).count());
    }

    @Test
    void anAbortedTransactionPublishesNothingAndLeavesTheIndexUnchanged() {
        PublishedIndex index = loadIndex();
        List<CleanedEntry> entries = new EntryCleaner().clean("""
                {"paper": {"arxiv_id": "aborted-1", "abstract": "Never committed."},
                 "repositories": [{"name": "example/aborted"}]}
                """, "raw-0@1");

        TextPair pair = ((Outcome.Accepted) entries.get(0).outcomes().get(0)).pair();

        publishInOneTransaction(index, entries, false);

        assertTrue(index.claim(pair.pairId(), PublishedIndex.fingerprint(pair)), "the index kept the aborted claim");
        assertTrue(loadIndex().claim(pair.pairId(), PublishedIndex.fingerprint(pair)),
                "a read-committed reader saw the aborted pair");
    }

    private PublishedIndex loadIndex() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            return new IndexLoader().load(consumer, PAIRS, DEAD_LETTERS);
        }
    }

    private Tally publishInOneTransaction(PublishedIndex index, List<CleanedEntry> entries, boolean commit) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "restart-test");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            Tally tally = new OutcomePublisher(producer, index, PAIRS, DEAD_LETTERS, new SimpleMeterRegistry(),
                    Clock.systemUTC()).publish(entries);
            if (commit) {
                producer.commitTransaction();
                index.commit();
            } else {
                producer.flush();
                producer.abortTransaction();
                index.abort();
            }
            return tally;
        }
    }
}
