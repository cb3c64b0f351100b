package dev.paper2code.testkit;

import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.TopicCursor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning, as a subscriber outside the system would. */
public final class TopicReader {
    private TopicReader() {
    }

    /**
     * Reads committed records of {@code topic} until {@code done} holds for everything read so far, or
     * fails after {@code timeout} with what was read.
     */
    public static <V> List<ConsumerRecord<String, V>> readUntil(String bootstrapServers, String topic,
            Deserializer<V> valueDeserializer, Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
        Map<String, Object> config = KafkaClients.groupConsumer(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                "test-reader-" + UUID.randomUUID(), "test-reader-" + UUID.randomUUID());
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer)) {
            consumer.subscribe(List.of(topic));
            while (!done.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Timed out after " + timeout + " reading " + topic + "; read "
                            + records.size() + " records: " + records);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Reads every committed record on the topic now (up to the end offsets taken at the start of the read). */
    public static <V> List<ConsumerRecord<String, V>> readAll(String bootstrapServers, String topic,
            Deserializer<V> valueDeserializer) {
        Map<String, Object> config = KafkaClients.scanConsumer(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer)) {
            TopicCursor.readToEnd(consumer, List.of(topic), records::add);
        }
        return records;
    }

    /** Reads until at least {@code count} records arrived. */
    public static <V> List<ConsumerRecord<String, V>> readAtLeast(String bootstrapServers, String topic,
            Deserializer<V> valueDeserializer, int count, Duration timeout) {
        return readUntil(bootstrapServers, topic, valueDeserializer, records -> records.size() >= count, timeout);
    }
}
