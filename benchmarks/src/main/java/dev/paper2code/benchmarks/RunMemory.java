package dev.paper2code.benchmarks;

import ai.djl.Device;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.WordPieceTrainer;
import dev.paper2code.training.run.TrainingConfig;
import dev.paper2code.training.run.TrainingRun;
import dev.paper2code.training.settings.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Resident memory of one JVM over many training runs, each run on a thread of its own (what the
 * trainer did) or all on one long-lived thread (what it does). Usage:
 * {@code bin/benchmark runs [thread-per-run|one-thread] [runs] [dataset.json]}.
 */
public final class RunMemory {
    private RunMemory() {
    }

    public static void main(String[] args) throws Exception {
        boolean threadPerRun = args.length > 0 && args[0].equals("thread-per-run");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dataset = Path.of(args.length > 2 ? args[2] : "../shared/data/paper_code_pairs.json");
        List<TextPair> pairs = BenchmarkData.pairs(dataset, 1);
        Path work = Files.createTempDirectory("run-memory");
        List<String> corpus = new ArrayList<>();
        pairs.forEach(p -> {
            corpus.add(p.paperText());
            corpus.add(p.codeText());
        });
        TokenizerSnapshot snapshot = TokenizerSnapshot.writeWordPiece(work.resolve("tokenizer"),
                new WordPieceTrainer(8000).train(corpus));
        List<TokenizedPair> tokenized = TrainerThroughput.tokenize(pairs, snapshot);
        System.out.println(BenchmarkData.machine());
        System.out.printf("%d runs of 1 epoch, small RoBERTa, %s x 1 = %d pairs, %s%n", count, dataset.getFileName(),
                tokenized.size(), threadPerRun ? "a new thread per run" : "one thread for every run");
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            kafka.createTopics(3, "train", "val");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (TokenizedPair p : tokenized) {
                    producer.send(new ProducerRecord<>(p.split().equals(TokenizedPair.TRAIN) ? "train" : "val",
                            p.pairId(), Json.MAPPER.writeValueAsBytes(p)));
                }
            }
            for (int i = 1; i <= count; i++) {
                RunSettings settings = RunSettings.defaults().with(Map.of("num_epochs", 1, "learning_rate", 5e-4,
                        "checkpoint_dir", work.resolve("checkpoints").toString(),
                        "tokenizer_path", snapshot.directory().toString(), "train_topic", "train", "val_topic", "val"));
                TrainingRun run = TrainingRun.overTopics("run-" + i, TrainingConfig.of(settings).logEvery(1000),
                        Map.of("bootstrap.servers", kafka.bootstrapServers()), Device.cpu());
                if (threadPerRun) {
                    Thread thread = new Thread(run, "run-" + i);
                    thread.start();
                    thread.join();
                } else {
                    oneThread.submit(run).get();
                }
                System.gc();
                System.out.printf("run %2d %s: RSS %d MiB%n", i, run.state(), BenchmarkData.rssMiB());
            }
        } finally {
            oneThread.shutdown();
        }
    }
}
