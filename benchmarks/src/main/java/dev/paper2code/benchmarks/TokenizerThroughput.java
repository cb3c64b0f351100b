package dev.paper2code.benchmarks;

import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TopicCursor;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenization.WordPieceTrainer;
import dev.paper2code.tokenizer.split.SplitAssigner;
import dev.paper2code.tokenizer.topology.TokenizerTopology;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Records per second through the tokenizer's Kafka Streams topology (exactly-once, real in-JVM KRaft
 * broker, JSON in and out, state stores and changelogs) against the same tokenizer encoding the same
 * pairs in a plain loop, in one JVM on one machine, one after the other.
 *
 * <p>Usage: {@code bin/benchmark tokenizer [dataset.json] [copies]}. The dataset's pairs are repeated
 * {@code copies} times under distinct ids, so that the run is long enough to measure.
 */
public final class TokenizerThroughput {
    private static final int MAX_LENGTH = 512;

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args.length > 0 ? args[0] : "../shared/data/paper_code_pairs.json");
        int copies = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<TextPair> pairs = BenchmarkData.pairs(dataset, copies);
        Path work = Files.createTempDirectory("tokenizer-benchmark");
        List<String> corpus = new ArrayList<>();
        pairs.subList(0, pairs.size() / copies).forEach(p -> {
            corpus.add(p.paperText());
            corpus.add(p.codeText());
        });
        TokenizerSnapshot snapshot = TokenizerSnapshot.writeWordPiece(work.resolve("tokenizer"), new WordPieceTrainer(8000).train(corpus));

        System.out.println(BenchmarkData.machine());
        System.out.printf("Input: %s x %d = %d pairs, max length %d%n", dataset.getFileName(), copies, pairs.size(), MAX_LENGTH);

        try (TruncatingTokenizer tokenizer = new TruncatingTokenizer(snapshot, MAX_LENGTH)) {
            encodeAll(tokenizer, pairs.subList(0, Math.min(2000, pairs.size())));
            long started = System.nanoTime();
            long tokens = encodeAll(tokenizer, pairs);
            double loopSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Tokenizer alone, one thread: %.0f pairs/s (%d pairs, %.0f tokens/s)%n",
                    pairs.size() / loopSeconds, pairs.size(), tokens / loopSeconds);

            double streamsSeconds = throughStreams(tokenizer, pairs, work);
            System.out.printf("Kafka Streams app (exactly_once_v2, 1 stream thread, 3 partitions): %.0f pairs/s (%d pairs in %.1f s)%n",
                    pairs.size() / streamsSeconds, pairs.size(), streamsSeconds);
            System.out.printf("Streams / loop: %.2f%n", loopSeconds / streamsSeconds);
        }
    }

    private static long encodeAll(TruncatingTokenizer tokenizer, List<TextPair> pairs) {
        long tokens = 0;
        for (TextPair pair : pairs) {
            tokens += tokenizer.encode(pair.paperText()).inputIds().length + tokenizer.encode(pair.codeText()).inputIds().length;
        }
        return tokens;
    }

    /** Seconds from starting the application, with all input already on the topic, to the last output committed. */
    private static double throughStreams(TruncatingTokenizer tokenizer, List<TextPair> pairs, Path work) throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            kafka.createTopics(3, "pairs", "train", "val", "dead-letters");
            kafka.createTopics(1, "stats");
            JsonSerde<TextPair> serde = JsonSerde.of(TextPair.class);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20),
                    new StringSerializer(), new ByteArraySerializer())) {
                pairs.forEach(p -> producer.send(new ProducerRecord<>("pairs", p.pairId(), serde.serialize("pairs", p))));
            }
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokenizer-benchmark");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            props.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
            long started = System.nanoTime();
            try (KafkaStreams streams = new KafkaStreams(TokenizerTopology.build(tokenizer, new SplitAssigner(0.2, "benchmark"),
                    new TokenizerTopology.Endpoints("pairs", "train", "val", "dead-letters", "stats"), Clock.systemUTC()), props)) {
                streams.start();
                while (committedOutputs(kafka.bootstrapServers()) < pairs.size()) {
                    Thread.sleep(200);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("Heap in use at the end of the streams run: %d MiB%n",
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
                streams.close(Duration.ofSeconds(30));
                return seconds;
            }
        }
    }

    private static long committedOutputs(String bootstrapServers) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            return TopicCursor.readToEnd(consumer, List.of("train", "val", "dead-letters"), record -> { });
        }
    }
}
