package dev.paper2code.tokenizer.streams;

import dev.paper2code.tokenizer.topology.StreamsSettings;
import dev.paper2code.tokenizer.topology.TokenizerTopology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.DatasetStats;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.testkit.TopicReader;
import dev.paper2code.tokenization.TestTokenizers;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenizer.SampleInput;
import dev.paper2code.tokenizer.split.SplitAssigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: the tokenizer scales by partitions. Two instances of one application (one stream thread
 * each) on a four-partition pairs topic share the partitions and write exactly the split and the
 * statistics one instance writes for the same input, on a real broker.
 */
class TwoInstancesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC);
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    /** What one application wrote: the keys of each split and the final statistics of each split. */
    private record Output(List<String> train, List<String> val, Map<String, DatasetStats> stats) {
    }

    @Test
    void twoInstancesWriteExactlyTheSplitAndStatisticsOfOne() throws Exception {
        List<TextPair> pairs = SampleInput.pairs();
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start();
             TruncatingTokenizer tokenizer = TestTokenizers.wordPiece(dir.resolve("tokenizer"), 64)) {
            kafka.createTopics(PARTITIONS, "pairs");
            try (KafkaProducer<String, TextPair> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", kafka.bootstrapServers()), Topics.PAIRS.keySerde().serializer(),
                    Topics.PAIRS.valueSerde().serializer())) {
                for (TextPair pair : pairs) {
                    producer.send(new ProducerRecord<>("pairs", pair.pairId(), pair));
                }
                // A delete: the statistics must forget the pair in both deployments alike.
                producer.send(new ProducerRecord<>("pairs", pairs.get(0).pairId(), null));
            }
            Output one = run(kafka, tokenizer, "one", 1, pairs.size() - 1);
            Output two = run(kafka, tokenizer, "two", 2, pairs.size() - 1);

            assertEquals(one.train(), two.train());
            assertEquals(one.val(), two.val());
            // As JSON: the histograms are arrays, which records compare by identity.
            assertEquals(Json.MAPPER.writeValueAsString(one.stats()), Json.MAPPER.writeValueAsString(two.stats()));
            assertEquals(pairs.size() - 1, one.train().size() + one.val().size());
            assertTrue(!one.val().isEmpty() && !one.train().isEmpty());
        }
    }

    private Output run(EmbeddedKafkaCluster kafka, TruncatingTokenizer tokenizer, String name, int instances,
            int expectedPairs) throws Exception {
        TokenizerTopology.Endpoints topics = new TokenizerTopology.Endpoints("pairs", name + ".train", name + ".val",
                name + ".dead-letters", name + ".stats");
        kafka.createTopics(PARTITIONS, topics.train(), topics.val(), topics.deadLetters(), topics.stats());
        List<KafkaStreams> running = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                KafkaStreams streams = new KafkaStreams(TokenizerTopology.build(tokenizer,
                        new SplitAssigner(0.2, "paper2code"), topics, CLOCK),
                        StreamsSettings.properties(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                                "tokenizer-" + name, dir.resolve(name + "-state-" + i), 1, (short) 1,
                                StreamsSettings.DEFAULT_COMMIT_INTERVAL));
                streams.start();
                running.add(streams);
            }
            List<ConsumerRecord<String, TokenizedPair>> train = new ArrayList<>();
            List<ConsumerRecord<String, TokenizedPair>> val = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (latest(train).size() + latest(val).size() < expectedPairs) {
                assertTrue(System.nanoTime() < deadline, name + ": " + latest(train).size() + " train and "
                        + latest(val).size() + " val pairs of " + expectedPairs);
                Thread.sleep(500);
                train = TopicReader.readAll(kafka.bootstrapServers(), topics.train(), JsonSerde.of(TokenizedPair.class));
                val = TopicReader.readAll(kafka.bootstrapServers(), topics.val(), JsonSerde.of(TokenizedPair.class));
            }
            Map<String, DatasetStats> stats = new TreeMap<>();
            while (stats.values().stream().mapToLong(DatasetStats::pairs).sum() != expectedPairs) {
                assertTrue(System.nanoTime() < deadline, name + ": statistics " + stats);
                Thread.sleep(500);
                TopicReader.readAll(kafka.bootstrapServers(), topics.stats(), JsonSerde.of(DatasetStats.class))
                        .forEach(record -> stats.put(record.key(), record.value()));
            }
            if (instances > 1) {
                for (KafkaStreams streams : running) {
                    assertTrue(streams.metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty()),
                            "every instance processes some partitions");
                }
            }
            return new Output(latest(train), latest(val), stats);
        } finally {
            running.forEach(streams -> streams.close(Duration.ofSeconds(30)));
        }
    }

    /** The keys whose newest record is a pair (a tombstone removes the key), sorted. */
    private static List<String> latest(List<ConsumerRecord<String, TokenizedPair>> records) {
        Map<String, Boolean> alive = new TreeMap<>();
        records.forEach(record -> alive.put(record.key(), record.value() != null));
        return alive.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }
}
