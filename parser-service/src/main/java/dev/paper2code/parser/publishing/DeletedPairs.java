package dev.paper2code.parser.publishing;

import dev.paper2code.contracts.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Deletes made while the parser runs: a tombstone on the pairs topic (an operator deleting a pair by its
 * key) makes the {@link PublishedIndex} forget that key, so the same entry published again brings the
 * pair back instead of being skipped as "already published". Reads the pairs topic from its end at
 * start (the index was just rebuilt from everything before), without a group, committed records only.
 * At start, {@link IndexLoader} forgets the pairs deleted before. Not thread-safe: the worker polls it.
 */
public final class DeletedPairs implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;

    public DeletedPairs(Map<String, Object> kafkaConfig, String pairsTopic) {
        this.consumer = new KafkaConsumer<>(KafkaClients.scanConsumer(kafkaConfig), new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(pairsTopic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, not at the first poll
    }

    /** Forgets every pair deleted since the last call; returns how many. */
    public int forgetDeleted(PublishedIndex index) {
        int forgotten = 0;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ZERO)) {
            if (record.value() == null && record.key() != null) {
                index.forget(record.key());
                forgotten++;
            }
        }
        return forgotten;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
