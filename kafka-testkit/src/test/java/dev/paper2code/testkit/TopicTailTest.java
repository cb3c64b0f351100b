package dev.paper2code.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.TopicTail;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The one way to follow a topic: where each partition starts, topics that appear later, catching up. */
class TopicTailTest {
    @Test
    void historyIsReadOrSkippedPerTopicAndALateTopicIsFollowedFromItsBeginning() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start();
             KafkaProducer<String, String> producer = new KafkaProducer<>(
                     Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            kafka.createTopics(2, "corpus", "progress");
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("corpus", "k" + i, "corpus-" + i));
            }
            producer.send(new ProducerRecord<>("progress", "old", "progress-before")).get();
            producer.flush();

            List<String> read = new ArrayList<>();
            try (TopicTail tail = TopicTail.open(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    List.of("corpus", "progress", "late"), List.of("progress"))) {
                assertFalse(tail.caughtUp(), "nothing read yet");
                producer.send(new ProducerRecord<>("progress", "new", "progress-after")).get();
                kafka.createTopics(1, "late");
                producer.send(new ProducerRecord<>("late", "x", "late-0")).get();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!(read.contains("late-0") && read.contains("progress-after") && read.size() >= 52)
                        && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : tail.poll(Duration.ofMillis(200))) {
                        read.add(new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
                assertTrue(tail.caughtUp(), "every corpus record there at the start was read");
            }
            assertEquals(50, read.stream().filter(v -> v.startsWith("corpus-")).count(), read.toString());
            assertTrue(read.contains("progress-after") && !read.contains("progress-before"),
                    "the progress topic from its end at the start: " + read);
            assertTrue(read.contains("late-0"), "a topic created later, from its beginning: " + read);
        }
    }
}
