package dev.paper2code.benchmarks;

import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TopicTail;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenization.WordPieceTrainer;
import dev.paper2code.tokenizer.split.SplitAssigner;
import dev.paper2code.tokenizer.topology.StreamsSettings;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Records per second through the tokenizer's Kafka Streams topology (exactly-once, real in-JVM KRaft
 * broker, JSON in and out, state stores and changelogs) against the same tokenizer encoding the same
 * pairs in a plain loop, in one JVM on one machine, one after the other.
 *
 * <p>Usage: {@code bin/benchmark tokenizer [dataset.json] [copies] [instances,...] [commit-ms,...]
 * [partitions]}. The dataset's pairs are repeated {@code copies} times under distinct ids, so that the
 * run is long enough to measure. Each combination of application instances (one stream thread each,
 * one application id, as replicas of the tokenizer-service, with its {@link StreamsSettings}) and
 * {@code commit.interval.ms} (one transaction per interval; the service's default is 1000, Kafka
 * Streams' own under exactly-once 100) runs on a fresh
 * broker with a {@code partitions}-partition pairs topic (default 6), and prints its rate and how many
 * pairs went to train and to val: the same in every row, since the split is a function of the paper id.
 */
public final class TokenizerThroughput {
    private static final int MAX_LENGTH = 512;
    private static final String APPLICATION_ID = "tokenizer-benchmark";

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args.length > 0 ? args[0] : "../shared/data/paper_code_pairs.json");
        int copies = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<TextPair> pairs = BenchmarkData.pairs(dataset, copies);
        Path work = Files.createTempDirectory("tokenizer-benchmark");
        List<String> corpus = new ArrayList<>();
        // The vocabulary is learned from one copy of the pairs, at most 5,000 of them (a 300,000-link export
        // would otherwise spend minutes learning before anything is measured).
        pairs.subList(0, Math.min(pairs.size() / copies, 5_000)).forEach(p -> {
            corpus.add(p.paperText());
            corpus.add(p.codeText());
        });
        TokenizerSnapshot snapshot = TokenizerSnapshot.writeWordPiece(work.resolve("tokenizer"), new WordPieceTrainer(8000).train(corpus));

        System.out.println(BenchmarkData.machine());
        System.out.printf("Input: %s x %d = %d pairs, max length %d%n", dataset.getFileName(), copies, pairs.size(), MAX_LENGTH);

        try (TruncatingTokenizer tokenizer = new TruncatingTokenizer(snapshot, MAX_LENGTH)) {
            encodeAll(tokenizer, pairs.subList(0, Math.min(2000, pairs.size())));
            long started = System.nanoTime();
            long cpuStarted = ThreadCpu.THREADS.getCurrentThreadCpuTime();
            long tokens = encodeAll(tokenizer, pairs);
            double loopSeconds = (System.nanoTime() - started) / 1e9;
            double loopCpuSeconds = (ThreadCpu.THREADS.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
            System.out.printf("Tokenizer alone, one thread: %.0f pairs/s (%d pairs, %.0f tokens/s; %.0f pairs per CPU-second)%n",
                    pairs.size() / loopSeconds, pairs.size(), tokens / loopSeconds, pairs.size() / loopCpuSeconds);

            List<Integer> instanceCounts = list(args.length > 2 ? args[2] : "1");
            List<Integer> commitIntervals = list(args.length > 3 ? args[3]
                    : String.valueOf(StreamsSettings.DEFAULT_COMMIT_INTERVAL.toMillis()));
            int partitions = args.length > 4 ? Integer.parseInt(args[4]) : 6;
            for (int commitMs : commitIntervals) {
                for (int instances : instanceCounts) {
                    StreamsRun run = throughStreams(tokenizer, pairs, work, instances, commitMs, partitions);
                    System.out.printf("Kafka Streams (exactly_once_v2, %d instance(s) x 1 stream thread, %d partitions, "
                            + "commit.interval.ms %d): %.0f pairs/s (%d pairs in %.1f s; train %d, val %d, dead letters %d); "
                            + "Streams / loop: %.2f; CPU-seconds: the application's threads %.1f, the broker and the "
                            + "counting consumer %.1f; pairs per CPU-second of the application / of the loop: %.2f%n",
                            instances, partitions, commitMs, pairs.size() / run.seconds(),
                            pairs.size(), run.seconds(), run.train(), run.val(), run.deadLetters(),
                            loopSeconds / run.seconds(), run.appCpuSeconds(), run.otherCpuSeconds(),
                            loopCpuSeconds / run.appCpuSeconds());
                }
            }
        }
    }

    private static List<Integer> list(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /** How long the Streams application took and where the pairs went. */
    private record StreamsRun(double seconds, long train, long val, long deadLetters, double appCpuSeconds,
            double otherCpuSeconds) {
    }

    private static long encodeAll(TruncatingTokenizer tokenizer, List<TextPair> pairs) {
        long tokens = 0;
        for (TextPair pair : pairs) {
            tokens += tokenizer.encode(pair.paperText()).inputIds().length + tokenizer.encode(pair.codeText()).inputIds().length;
        }
        return tokens;
    }

    /**
     * From starting {@code instances} applications, with all input already on the topic, to the last
     * output committed; each instance has a state directory of its own, as a replica has.
     */
    private static StreamsRun throughStreams(TruncatingTokenizer tokenizer, List<TextPair> pairs, Path work, int instances,
            int commitMs, int partitions) throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            kafka.createTopics(partitions, "pairs", "train", "val", "dead-letters");
            kafka.createTopics(1, "stats");
            JsonSerde<TextPair> serde = JsonSerde.of(TextPair.class);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20),
                    new StringSerializer(), new ByteArraySerializer())) {
                pairs.forEach(p -> producer.send(new ProducerRecord<>("pairs", p.pairId(), serde.serialize("pairs", p))));
            }
            List<KafkaStreams> apps = new ArrayList<>();
            // Where the two cores go: the application's threads (their names hold the application id:
            // stream threads, their producers, the state updater) against the rest of this JVM (the broker
            // and the counting consumer below; GC and JIT threads are in neither), so that "per core" can be
            // read per core the application used.
            Map<Long, ThreadCpu.Sample> cpuBefore = ThreadCpu.sample();
            long started = System.nanoTime();
            try {
                for (int i = 0; i < instances; i++) {
                    // The service's own configuration, with the commit interval under test.
                    Properties props = StreamsSettings.properties(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                            APPLICATION_ID, work.resolve("state-" + instances + "-" + commitMs + "-" + i), 1,
                            (short) 1, Duration.ofMillis(commitMs));
                    KafkaStreams app = new KafkaStreams(TokenizerTopology.build(tokenizer, new SplitAssigner(0.2, "benchmark"),
                            new TokenizerTopology.Endpoints("pairs", "train", "val", "dead-letters", "stats"), Clock.systemUTC()),
                            props);
                    apps.add(app);
                    app.start();
                }
                long[] counts = new long[3];
                List<String> outputs = List.of("train", "val", "dead-letters");
                // Followed as any subscriber follows a topic (read_committed, keeping its place): counting
                // never rereads what it counted.
                try (TopicTail committed = TopicTail.open(Map.of("bootstrap.servers", kafka.bootstrapServers()), outputs,
                        List.of())) {
                    while (counts[0] + counts[1] + counts[2] < pairs.size()) {
                        committed.poll(Duration.ofMillis(200)).forEach(record -> counts[outputs.indexOf(record.topic())]++);
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                double[] cpu = ThreadCpu.secondsSince(cpuBefore, APPLICATION_ID);
                System.out.printf("Heap in use at the end of the streams run: %d MiB%n",
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
                return new StreamsRun(seconds, counts[0], counts[1], counts[2], cpu[0], cpu[1]);
            } finally {
                apps.forEach(app -> app.close(Duration.ofSeconds(30)));
            }
        }
    }
}
