package dev.paper2code.launcher;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.TopicCursor;
import dev.paper2code.contracts.TopicProvisioning;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.LocalKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the local run reads from the broker: topic counts, dead letters by reason, and the wait for the tokenizer. */
final class PipelineTopics {
    private PipelineTopics() {
    }

    /** Waits until the tokenizer has turned every pair on the pairs topic into a record or a dead letter. */
    static void awaitTokenized(String bootstrapServers, long pairs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            LocalRunReport report = report(bootstrapServers);
            long tokenizerDeadLetters = report.deadLettersByReason().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("tokenizer/")).mapToLong(Map.Entry::getValue).sum();
            if (report.train() + report.val() + tokenizerDeadLetters >= pairs) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The tokenizer handled " + (report.train() + report.val() + tokenizerDeadLetters)
                        + " of " + pairs + " pairs within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    static long count(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            return TopicCursor.readToEnd(consumer, List.of(topic), record -> { });
        }
    }

    static String ensureProgressTopic(LocalKafkaBroker broker) {
        TopicProvisioning.ensureExist(Map.of("bootstrap.servers", broker.bootstrapServers()),
                List.of(Topics.TRAINING_PROGRESS), (short) 1);
        return Topics.TRAINING_PROGRESS.name();
    }

    static LocalRunReport report(String bootstrapServers) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            long pairs = TopicCursor.readToEnd(consumer, List.of(Topics.PAIRS.name()), record -> { });
            long train = TopicCursor.readToEnd(consumer, List.of(Topics.TOKENIZED_TRAIN.name()), record -> { });
            long val = TopicCursor.readToEnd(consumer, List.of(Topics.TOKENIZED_VAL.name()), record -> { });
            Map<String, Long> reasons = new TreeMap<>();
            TopicCursor.readToEnd(consumer, List.of(Topics.DEAD_LETTERS.name()), record -> {
                DeadLetter letter = Topics.DEAD_LETTERS.deserializeValue(record.value());
                reasons.merge(letter.stage() + "/" + letter.reason(), 1L, Long::sum);
            });
            return new LocalRunReport(pairs, train, val, reasons, null, List.of(), List.of());
        }
    }

    /** The val split's papers, each with the repositories it links (from {@code paper2code.tokenized.val}). */
    static Map<String, java.util.Set<String>> valPapers(String bootstrapServers) {
        Map<String, java.util.Set<String>> papers = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            TopicCursor.readToEnd(consumer, List.of(Topics.TOKENIZED_VAL.name()), record -> {
                var pair = Topics.TOKENIZED_VAL.deserializeValue(record.value());
                papers.computeIfAbsent(pair.paperId(), id -> new java.util.TreeSet<>()).add(pair.repository());
            });
        }
        return papers;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(KafkaClients.scanConsumer(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
