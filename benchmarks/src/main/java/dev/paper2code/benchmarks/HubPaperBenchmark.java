package dev.paper2code.benchmarks;

import ai.djl.Device;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.modelimport.OnnxBertImporter;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenizer.split.SplitAssigner;
import dev.paper2code.training.run.TrainingConfig;
import dev.paper2code.training.run.TrainingRun;
import dev.paper2code.training.settings.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 20 item 4: the default run (all-MiniLM-L6-v2 fine-tuned, default settings) on the real data,
 * without and with one extra paper linked to N repositories (every one of its pairs shares that paper,
 * so at most one fits a batch). Each case runs in a JVM of its own, so peak RSS (VmHWM) is the case's
 * own; each prints planned and taken steps, the smallest batch loss, the learning rate of the last step,
 * the pairs trained and left out per epoch, and the wall time. Usage:
 * {@code bin/benchmark hub-paper [pairs.json] [repositories] [epochs]}.
 */
public final class HubPaperBenchmark {
    private static final int MAX_LENGTH = 256;

    private HubPaperBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        String dataset = args.length > 0 ? args[0] : "../shared/data/paper_code_pairs.json";
        int repositories = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : RunSettings.defaults().numEpochs();
        System.out.println(BenchmarkData.machine());
        System.out.printf("Default run (all-MiniLM-L6-v2 fine-tuned, batch %d, max length %d), %d epochs, on %s, "
                + "without and with one paper linked to %d repositories; one JVM per case%n",
                RunSettings.defaults().batchSize(), MAX_LENGTH, epochs, dataset, repositories);
        System.out.println("| case | train pairs | planned steps | steps | smallest batch loss | last lr | trained / left out per epoch | peak RSS | wall |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int hub : new int[] {0, repositories}) {
            System.out.println(BenchmarkData.lastLineOf(new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g", "-Dai.djl.offline=true",
                    "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                    "-cp", System.getProperty("java.class.path"), HubPaperBenchmark.class.getName(), "--child", dataset,
                    Integer.toString(hub), Integer.toString(epochs)), "the case with " + hub + " hub repositories"));
        }
    }

    private static void child(Path dataset, int hubRepositories, int epochs) throws Exception {
        Path work = Files.createTempDirectory("hub-paper");
        Path miniLm = OnnxBertImporter.importBundledMiniLm(work.resolve("all-minilm-l6-v2")).directory();
        List<TextPair> pairs = new ArrayList<>(BenchmarkData.cleanedPairs(dataset));
        SplitAssigner splits = new SplitAssigner(0.2, "paper2code"); // the tokenizer-service's default split
        String hubPaper = "2401.00001";
        for (int k = 2; !splits.splitOf(hubPaper).equals(TokenizedPair.TRAIN); k++) {
            hubPaper = String.format("2401.%05d", k);
        }
        TextPair source = pairs.get(0);
        int real = pairs.size();
        for (int r = 0; r < hubRepositories; r++) {
            TextPair code = pairs.get(r % real);
            String repository = "hub-org/repository-" + r;
            pairs.add(new TextPair(hubPaper + "::" + repository, hubPaper, repository, source.paperText(),
                    repository + "\n" + code.codeText(), "benchmark"));
        }
        TokenizerSnapshot tokenizer = TokenizerSnapshot.read(miniLm);
        long trainPairs = 0;
        String row;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start();
             TruncatingTokenizer encoder = new TruncatingTokenizer(tokenizer, MAX_LENGTH)) {
            kafka.createTopics(3, "train", "val");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (TextPair p : pairs) {
                    String split = splits.splitOf(p.paperId());
                    trainPairs += split.equals(TokenizedPair.TRAIN) ? 1 : 0;
                    TokenizedPair pair = BenchmarkData.tokenized(p, encoder, split);
                    producer.send(new ProducerRecord<>(split.equals(TokenizedPair.TRAIN) ? "train" : "val", p.pairId(),
                            Json.MAPPER.writeValueAsBytes(pair)));
                }
            }
            RunSettings settings = RunSettings.defaults().with(Map.of("model_dir", miniLm.toString(),
                    "num_epochs", epochs, "checkpoint_dir", work.resolve("checkpoints").toString(),
                    "tokenizer_path", miniLm.toString(), "train_topic", "train", "val_topic", "val"));
            TrainingRun run = TrainingRun.overTopics("hub-" + hubRepositories,
                    TrainingConfig.of(settings).logEvery(1), Map.of("bootstrap.servers", kafka.bootstrapServers()), Device.cpu());
            double[] smallestLoss = {Double.MAX_VALUE};
            double[] lastRate = {Double.NaN};
            run.onEvent(event -> {
                if (event instanceof TrainingEvent.BatchLoss loss) {
                    smallestLoss[0] = Math.min(smallestLoss[0], loss.loss());
                    lastRate[0] = loss.learningRate();
                }
            });
            long started = System.nanoTime();
            run.run();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (run.state() != TrainingRun.State.FINISHED) {
                throw new IllegalStateException("run " + run.state() + ": " + run.status().failure());
            }
            String perEpoch = run.history().stream().map(e -> e.trainPairs() + " / " + e.leftOutPairs())
                    .collect(Collectors.joining(", "));
            row = String.format(Locale.ROOT, "| %s | %d | %d | %d | %.4f | %.2e | %s | %d MiB | %.0f s |%n",
                    hubRepositories == 0 ? "real data" : "+ 1 paper x " + hubRepositories + " repositories", trainPairs,
                    run.status().totalSteps(), run.status().step(), smallestLoss[0], lastRate[0], perEpoch,
                    BenchmarkData.peakRssMiB(), seconds);
        }
        System.out.println(row); // last: the parent reads the last line
    }
}
