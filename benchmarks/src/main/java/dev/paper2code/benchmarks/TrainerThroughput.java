package dev.paper2code.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenization.WordPieceTrainer;
import dev.paper2code.tokenizer.split.SplitAssigner;
import dev.paper2code.retrieval.evaluation.Metric;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.settings.RunSettings;
import dev.paper2code.training.listener.StepTimerListener;
import dev.paper2code.training.run.TrainingConfig;
import dev.paper2code.training.run.TrainingRun;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Training throughput and memory: the trainer's run (topic passes, batching, steps, validation,
 * checkpoints) on a real in-JVM broker, and the model's steps alone on the same batches.
 *
 * <p>Usage: {@code bin/benchmark trainer [dataset.json] [copies] [epochs] [small|base]}. {@code base}
 * sizes the encoders like CodeBERT (hidden 768, 12 layers) and only times model steps.
 */
public final class TrainerThroughput {
    private static final int MAX_LENGTH = 512;
    private static final int BATCH = 8;

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args.length > 0 ? args[0] : "../shared/data/paper_code_pairs.json");
        int copies = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean base = args.length > 3 && args[3].equals("base");
        List<TextPair> pairs = BenchmarkData.pairs(dataset, copies);
        Path work = Files.createTempDirectory("trainer-benchmark");
        List<String> corpus = new ArrayList<>();
        pairs.forEach(p -> {
            corpus.add(p.paperText());
            corpus.add(p.codeText());
        });
        TokenizerSnapshot snapshot = TokenizerSnapshot.writeWordPiece(work.resolve("tokenizer"),
                new WordPieceTrainer(8000).train(corpus.subList(0, corpus.size() / copies)));
        List<TokenizedPair> tokenized = tokenize(pairs, snapshot);
        long train = tokenized.stream().filter(p -> p.split().equals(TokenizedPair.TRAIN)).count();
        double meanTokens = tokenized.stream().mapToInt(p -> p.paperInputIds().length + p.codeInputIds().length)
                .average().orElse(0) / 2;

        System.out.println(BenchmarkData.machine());
        System.out.printf("Device: %s (DJL %s engine)%n", Engine.getInstance().defaultDevice(),
                Engine.getInstance().getEngineName());
        System.out.printf("Input: %s x %d = %d pairs (%d train), max length %d, %.0f tokens per text on average%n",
                dataset.getFileName(), copies, pairs.size(), train, MAX_LENGTH, meanTokens);

        EncoderConfig config = base
                ? new EncoderConfig("roberta", snapshot.vocabularySize(), 768, 12, 12, 3072, MAX_LENGTH + 2, 1, 1e-5f,
                        snapshot.padTokenId(), "gelu", 0.02f, EncoderConfig.DEFAULT_DROPOUT, EncoderConfig.DEFAULT_DROPOUT)
                : EncoderConfig.smallRoberta(snapshot.vocabularySize(), snapshot.padTokenId(), MAX_LENGTH);
        modelAlone(config, tokenized, base ? 3 : 40);
        if (!base) {
            throughTrainer(tokenized, snapshot, work, epochs);
        }
        System.out.printf("Peak RSS of this JVM (VmHWM; broker included): %d MiB%n", BenchmarkData.peakRssMiB());
    }

    static List<TokenizedPair> tokenize(List<TextPair> pairs, TokenizerSnapshot snapshot) {
        SplitAssigner splits = new SplitAssigner(0.2, "benchmark");
        List<TokenizedPair> tokenized = new ArrayList<>();
        try (TruncatingTokenizer tokenizer = new TruncatingTokenizer(snapshot, MAX_LENGTH)) {
            for (TextPair p : pairs) {
                tokenized.add(BenchmarkData.tokenized(p, tokenizer, splits.splitOf(p.paperId())));
            }
        }
        return tokenized;
    }

    /** Steps on batches of consecutive train pairs, no Kafka: the ceiling the trainer can reach. */
    private static void modelAlone(EncoderConfig config, List<TokenizedPair> pairs, int steps) {
        List<TokenizedPair> train = pairs.stream().filter(p -> p.split().equals(TokenizedPair.TRAIN)).toList();
        try (ContrastiveModel model = ContrastiveModel.fromScratch(config, 42, ContrastiveOptions.seedDefaults(),
                Engine.getInstance().defaultDevice());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            int warmup = Math.min(3, steps);
            long started = 0;
            for (int step = 0; step < steps + warmup; step++) {
                if (step == warmup) {
                    started = System.nanoTime();
                }
                int from = (step * BATCH) % (train.size() - BATCH);
                List<TokenizedPair> batch = train.subList(from, from + BATCH);
                trainer.step(TokenBatch.pad(batch.stream().map(TokenizedPair::paperInputIds).toList(), config.padTokenId()),
                        TokenBatch.pad(batch.stream().map(TokenizedPair::codeInputIds).toList(), config.padTokenId()),
                        1e-4f, 1f);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Model alone (hidden %d, %d layers, two encoders, batch %d): %.1f pairs/s, %.0f ms/step over %d steps%n",
                    config.hiddenSize(), config.numHiddenLayers(), BATCH, steps * BATCH / seconds, seconds * 1000 / steps, steps);
        }
    }

    private static void throughTrainer(List<TokenizedPair> pairs, TokenizerSnapshot snapshot, Path work, int epochs)
            throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            kafka.createTopics(3, "train", "val");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (TokenizedPair p : pairs) {
                    producer.send(new ProducerRecord<>(p.split().equals(TokenizedPair.TRAIN) ? "train" : "val", p.pairId(),
                            Json.MAPPER.writeValueAsBytes(p)));
                }
            }
            RunSettings settings = RunSettings.defaults().with(Map.of("batch_size", BATCH, "num_epochs", epochs,
                    "learning_rate", 5e-4, "checkpoint_dir", work.resolve("checkpoints").toString(),
                    "tokenizer_path", snapshot.directory().toString(), "train_topic", "train", "val_topic", "val"));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            List<Integer> arrays = new ArrayList<>();
            TrainingRun run = TrainingRun.overTopics("benchmark",
                    TrainingConfig.of(settings).logEvery(1000).addTrainingListeners(new StepTimerListener(meters)),
                    Map.of("bootstrap.servers", kafka.bootstrapServers()), Engine.getInstance().defaultDevice());
            run.onEvent(event -> {
                if (event instanceof TrainingEvent.EpochFinished) {
                    arrays.add(run.liveArrays());
                }
            });
            long started = System.nanoTime();
            run.run();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (run.state() != TrainingRun.State.FINISHED) {
                throw new IllegalStateException("the run ended " + run.state() + ": " + run.status().failure());
            }
            var timer = meters.get("trainer.step").timer();
            System.out.printf("Trainer run (%d epochs, batch %d, on the broker): %.1f s in all, mean step %.0f ms, max step %.0f ms%n",
                    epochs, BATCH, seconds, timer.mean(TimeUnit.MILLISECONDS), timer.max(TimeUnit.MILLISECONDS));
            for (EpochResult epoch : run.history()) {
                System.out.printf("  epoch %d: %.1f train pairs/s (pass + batching + steps), train loss %.4f, val loss %.4f, "
                                + "Recall@1 %.3f, MRR@10 %.3f, validation + checkpoints not included%n", epoch.epoch(),
                        epoch.pairsPerSecond(), epoch.trainLoss(), epoch.valLoss(), epoch.metric(Metric.RECALL_AT_1),
                        epoch.metric(Metric.MRR_AT_10));
            }
            System.out.printf("Native arrays held after each epoch: %s%n", arrays);
        }
    }
}
