package dev.paper2code.contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads whole topics from the beginning up to the end offsets taken when the scan starts, without a
 * consumer group: how a service rebuilds state from its own output after a restart. With a
 * {@code read_committed} consumer, aborted transactions are skipped.
 */
public final class TopicScan {
    private TopicScan() {
    }

    /** @return how many records were read */
    public static <V> long readToEnd(Consumer<String, V> consumer, Collection<String> topics,
            java.util.function.Consumer<ConsumerRecord<String, V>> each) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long count = 0;
        try {
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                    count++;
                    each.accept(record);
                }
            }
        } finally {
            consumer.unsubscribe();
        }
        return count;
    }
}
