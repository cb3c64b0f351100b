package dev.paper2code.launcher;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TopicScan;
import dev.paper2code.contracts.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The embedded local run: a KRaft broker process on 127.0.0.1, then the services as child processes
 * fed with the sample data, then a report of what arrived on the topics. Everything it started is
 * stopped when it ends, fails, or gets Ctrl-C.
 */
public final class LocalPipeline {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    /** What the run left on the topics; dead letters are counted by {@code stage/REASON}. */
    public record Report(long pairs, long train, long val, Map<String, Long> deadLettersByReason) {
        public long deadLetters() {
            return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public record Options(Path projectDir, Path input, Path workDir, int kafkaPort, boolean fresh, boolean keepRunning) {
        static Options parse(String[] args) {
            Path project = Path.of("").toAbsolutePath();
            Options options = new Options(project, project.resolve("data/sample/paper_code_pairs.json"),
                    project.resolve(".run-local"), 19092, false, false);
            for (String arg : args) {
                String[] kv = arg.split("=", 2);
                String value = kv.length > 1 ? kv[1] : null;
                options = switch (kv[0]) {
                    case "--input" -> options.with(Path.of(require(arg, value)).toAbsolutePath(), null, -1, null, null);
                    case "--work-dir" -> options.with(null, Path.of(require(arg, value)).toAbsolutePath(), -1, null, null);
                    case "--kafka-port" -> options.with(null, null, Integer.parseInt(require(arg, value)), null, null);
                    case "--fresh" -> options.with(null, null, -1, true, null);
                    case "--keep-running" -> options.with(null, null, -1, null, true);
                    default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
                };
            }
            return options;
        }

        private Options with(Path newInput, Path newWorkDir, int newPort, Boolean newFresh, Boolean newKeepRunning) {
            return new Options(projectDir, newInput != null ? newInput : input, newWorkDir != null ? newWorkDir : workDir,
                    newPort >= 0 ? newPort : kafkaPort, newFresh != null ? newFresh : fresh,
                    newKeepRunning != null ? newKeepRunning : keepRunning);
        }

        private static String require(String arg, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(arg + " needs a value, as in " + arg + "=...\n" + USAGE);
            }
            return value;
        }
    }

    static final String USAGE = """
            Usage: bin/run-local [options]
              --input=PATH        paper_code_pairs.json to feed (default data/sample/paper_code_pairs.json)
              --work-dir=PATH     broker data and logs (default .run-local); kept between runs
              --kafka-port=N      broker port on 127.0.0.1 (default 19092; 0 picks a free one)
              --fresh             delete the work dir first, starting from empty topics
              --keep-running      keep the broker and services up until Ctrl-C, to publish and subscribe""";

    private final Options options;
    private final PrintStream out;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    public LocalPipeline(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        LocalPipeline pipeline;
        try {
            pipeline = new LocalPipeline(Options.parse(args), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Thread hook = new Thread(pipeline::stopAll, "local-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            pipeline.run();
        } catch (Exception e) {
            System.err.println("[launcher] FAILED: " + e.getMessage());
            pipeline.stopAll();
            System.exit(1);
        }
        pipeline.stopAll();
    }

    /** Runs the pipeline once and stops everything it started. */
    public Report run() throws IOException, InterruptedException {
        try {
            if (!Files.isRegularFile(options.input())) {
                throw new IllegalArgumentException("Input file " + options.input() + " not found");
            }
            if (options.fresh()) {
                deleteRecursively(options.workDir());
            }
            log("Starting a Kafka broker (KRaft) on 127.0.0.1, data in " + options.workDir().resolve("kafka"));
            LocalKafkaBroker broker = started(LocalKafkaBroker.start(options.workDir().resolve("kafka"), options.kafkaPort()));
            log("Kafka broker ready at " + broker.bootstrapServers() + " (pid " + broker.pid() + ")");

            ServiceProcess parser = started(ServiceProcess.start("parser",
                    quarkusApp("parser-service"),
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                            "PARSER_INPUT_FILE", options.input().toString()),
                    out));
            parser.awaitReady(READY_TIMEOUT);
            log("parser-service ready on http://127.0.0.1:" + parser.httpPort() + " (health: /q/health, metrics: /q/metrics)");

            long pairs = count(broker.bootstrapServers(), Topics.PAIRS);
            ServiceProcess tokenizer = started(ServiceProcess.start("tokenizer",
                    quarkusApp("tokenizer-service"),
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                            "TOKENIZER_PATH", options.workDir().resolve("tokenizer").toString(),
                            "TOKENIZER_STATE_DIR", options.workDir().resolve("tokenizer-state").toString()),
                    out));
            tokenizer.awaitReady(READY_TIMEOUT);
            log("tokenizer-service ready on http://127.0.0.1:" + tokenizer.httpPort() + " (dataset info: /dataset-info)");
            awaitTokenized(broker.bootstrapServers(), pairs);

            Report report = report(broker.bootstrapServers());
            log("Topic " + Topics.PAIRS + ": " + report.pairs() + " pairs");
            log("Topic " + Topics.TOKENIZED_TRAIN + ": " + report.train() + " tokenized pairs");
            log("Topic " + Topics.TOKENIZED_VAL + ": " + report.val() + " tokenized pairs");
            log("Topic " + Topics.DEAD_LETTERS + ": " + report.deadLetters() + " dead letters " + report.deadLettersByReason());
            log("Dataset info: " + tokenizer.get("/dataset-info").body());
            if (options.keepRunning()) {
                log("Running until Ctrl-C. Publish an entry:   kcat -P -b " + broker.bootstrapServers() + " -t " + Topics.RAW_ENTRIES);
                log("                      Follow the pairs:   kcat -C -b " + broker.bootstrapServers() + " -t " + Topics.PAIRS);
                new CountDownLatch(1).await();
            }
            log("Done. Broker data kept in " + options.workDir() + ": run again to see a restart (nothing is published twice), --fresh to start over.");
            return report;
        } finally {
            stopAll();
        }
    }

    /** Waits until the tokenizer has turned every pair on the pairs topic into a record or a dead letter. */
    private void awaitTokenized(String bootstrapServers, long pairs) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Report report = report(bootstrapServers);
            long tokenizerDeadLetters = report.deadLettersByReason().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("tokenizer/")).mapToLong(Map.Entry::getValue).sum();
            if (report.train() + report.val() + tokenizerDeadLetters >= pairs) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The tokenizer handled " + (report.train() + report.val() + tokenizerDeadLetters)
                        + " of " + pairs + " pairs within " + READY_TIMEOUT);
            }
            Thread.sleep(500);
        }
    }

    private static long count(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            return TopicScan.readToEnd(consumer, List.of(topic), record -> { });
        }
    }

    private static Report report(String bootstrapServers) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            long pairs = TopicScan.readToEnd(consumer, List.of(Topics.PAIRS), record -> { });
            long train = TopicScan.readToEnd(consumer, List.of(Topics.TOKENIZED_TRAIN), record -> { });
            long val = TopicScan.readToEnd(consumer, List.of(Topics.TOKENIZED_VAL), record -> { });
            Map<String, Long> reasons = new TreeMap<>();
            JsonSerde<DeadLetter> serde = JsonSerde.of(DeadLetter.class);
            TopicScan.readToEnd(consumer, List.of(Topics.DEAD_LETTERS), record -> {
                DeadLetter letter = serde.deserialize(record.topic(), record.value());
                reasons.merge(letter.stage() + "/" + letter.reason(), 1L, Long::sum);
            });
            return new Report(pairs, train, val, reasons);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Path quarkusApp(String module) {
        return options.projectDir().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private <T extends AutoCloseable> T started(T resource) {
        synchronized (running) {
            running.push(resource);
        }
        return resource;
    }

    /** Stops the services, then the broker; safe to call more than once and from the shutdown hook. */
    void stopAll() {
        while (true) {
            AutoCloseable next;
            synchronized (running) {
                next = running.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                out.println("[launcher] could not stop " + next + ": " + e.getMessage());
            }
        }
    }

    private void log(String message) {
        out.println("[launcher] " + message);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
