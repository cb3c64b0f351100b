package dev.paper2code.benchmarks;

import dev.paper2code.contracts.CheckpointLayout;
import ai.djl.engine.Engine;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.modelimport.OnnxBertImporter;
import dev.paper2code.retrieval.ServingIndex;
import dev.paper2code.retrieval.ZeroShotBaseline;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.evaluation.CodeSearchMetrics;
import dev.paper2code.retrieval.index.HnswOptions;
import dev.paper2code.retrieval.index.RankFusion;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenization.WordPieceTrainer;
import dev.paper2code.tokenizer.split.SplitAssigner;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.run.TrainingConfig;
import dev.paper2code.training.run.TrainingRun;
import dev.paper2code.training.settings.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Retrieval quality on one split, every system in one table: chance, BM25 (the plain tokens and
 * search's identifier tokens), the pretrained start model
 * zero-shot, the small model trained from scratch (run-local --scratch), the pretrained default
 * fine-tuned, and hybrid; each val paper ranked against every repository of the corpus, as
 * search-service evaluates. Training goes through the trainer's own run (topic passes on an in-JVM
 * broker, checkpoints), evaluation through search's own {@link ServingIndex}. Paired statistics of the
 * fine-tuned model against BM25 per query (sign test, bootstrap interval of the MRR@10 difference).
 *
 * <p>Usage: {@code bin/benchmark quality [pairs.json] [salt,salt,...] [epochs] [batch] [learning-rate]
 * [variant,...]}. Several salts repeat the pretrained and BM25 rows on other splits (no tuning to one
 * split). Each variant trains the default again with other run settings, on every split, with paired
 * statistics against the same training without them: a number N is {@code hard_negatives} N, anything
 * else is {@code key=value} settings joined by {@code +} (e.g. {@code shared_encoder=true+temperature=0.05});
 * 0 or none trains no variant. {@code QUALITY_SCRATCH=0} leaves the scratch row out.
 */
public final class QualityBenchmark {
    /** The tokenizer's max length for each start, as run-local sets it (LocalPipelineArgs). */
    static final int PRETRAINED_MAX_LENGTH = 256;
    static final int SCRATCH_MAX_LENGTH = 512;
    /** run-local --scratch: a small model from random weights needs many epochs at a far higher rate. */
    static final int SCRATCH_EPOCHS = 8;
    static final float SCRATCH_LEARNING_RATE = 5e-4f;

    private record Split(List<TokenizedPair> train, List<TokenizedPair> val) {
    }

    /** One trained model: the systems of search's comparison for its best checkpoint, per-query rankings, time. */
    private record Trained(Map<String, List<CodeSearchMetrics.Ranked>> rankings, double seconds, List<EpochResult> history,
                           List<Map<String, Double>> searchByEpoch) {
    }

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args.length > 0 ? args[0] : "../shared/data/paper_code_pairs.json");
        List<String> salts = List.of((args.length > 1 ? args[1] : "paper2code").split(","));
        // The fine-tuning run uses the trainer's defaults (RunSettings) unless given here.
        RunSettings defaults = RunSettings.defaults();
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : defaults.numEpochs();
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : defaults.batchSize();
        String learningRate = args.length > 4 ? args[4] : Float.toString(defaults.learningRate());
        Map<String, Map<String, Object>> variants = RunVariants.parse(args.length > 5 ? args[5] : "none");
        boolean scratchRow = !"0".equals(System.getenv("QUALITY_SCRATCH"));
        Path work = Files.createTempDirectory("quality-benchmark");
        List<TextPair> pairs = BenchmarkData.cleanedPairs(dataset);
        Corpus corpus = Corpus.of(pairs);
        Path miniLm = OnnxBertImporter.importBundledMiniLm(work.resolve("all-minilm-l6-v2")).directory();

        System.out.println(BenchmarkData.machine());
        System.out.printf("Data: %s, %d pairs, %d papers, %d repositories; pretrained: all-MiniLM-L6-v2 (bundled), "
                        + "%d epochs, batch %d, learning rate %s, max length %d%n", dataset.getFileName(), pairs.size(),
                corpus.paperCount(), corpus.repositoryCount(), epochs, batch, learningRate, PRETRAINED_MAX_LENGTH);
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            for (String salt : salts) {
                boolean first = salt.equals(salts.get(0));
                SplitAssigner splits = new SplitAssigner(0.2, salt);
                List<String> valPapers = corpus.papers().stream().map(p -> p.paperId())
                        .filter(id -> splits.splitOf(id).equals(TokenizedPair.VAL)).toList();
                System.out.printf("%nSplit salt '%s': %d val papers ranked against all %d repositories%n", salt,
                        valPapers.size(), corpus.repositoryCount());
                Map<String, Map<String, Double>> table = new LinkedHashMap<>();
                Map<String, String> times = new LinkedHashMap<>();
                table.put("chance", ChanceBaseline.metrics(corpus, valPapers));
                Trained pretrained;
                Map<String, Trained> withVariants = new LinkedHashMap<>();
                try (ZeroShotBaseline zeroShot = ZeroShotBaseline.open(miniLm, PRETRAINED_MAX_LENGTH)) {
                    TokenizerSnapshot tokenizer = TokenizerSnapshot.read(miniLm);
                    Split split = tokenize(pairs, tokenizer, PRETRAINED_MAX_LENGTH, splits);
                    Map<String, Object> fineTuning = Map.of("model_dir", miniLm.toString(), "num_epochs", epochs,
                            "batch_size", batch, "learning_rate", Float.parseFloat(learningRate));
                    pretrained = train(kafka, "pretrained-" + salt, split, tokenizer, work, corpus, valPapers, zeroShot,
                            fineTuning, first);
                    int v = 0;
                    for (Map.Entry<String, Map<String, Object>> variant : variants.entrySet()) {
                        Map<String, Object> settings = new LinkedHashMap<>(fineTuning);
                        settings.putAll(variant.getValue());
                        withVariants.put(variant.getKey(), train(kafka, "variant-" + v++ + "-" + salt, split, tokenizer, work,
                                corpus, valPapers, zeroShot, settings, false));
                    }
                }
                Map<String, List<CodeSearchMetrics.Ranked>> r = pretrained.rankings();
                List<CodeSearchMetrics.Ranked> plainBm25 = PlainKeywordBaseline.rankings(corpus, valPapers, RankFusion.DEPTH);
                table.put("BM25, plain tokens (issue's baseline)", metrics(plainBm25));
                table.put("BM25, identifier tokens (search's bm25)", metrics(r.get("bm25")));
                table.put("all-MiniLM-L6-v2 zero-shot", metrics(r.get(ServingIndex.ZERO_SHOT)));
                if (first && scratchRow) {
                    Trained scratch = trainScratch(kafka, salt, pairs, splits, work, corpus, valPapers);
                    table.put("small RoBERTa from scratch (--scratch)", metrics(scratch.rankings().get(ServingIndex.TRAINED)));
                    times.put("small RoBERTa from scratch (--scratch)", seconds(scratch));
                    printEpochs("from scratch", scratch);
                }
                table.put("all-MiniLM-L6-v2 fine-tuned (default)", metrics(r.get(ServingIndex.TRAINED)));
                times.put("all-MiniLM-L6-v2 fine-tuned (default)", seconds(pretrained));
                table.put("hybrid: fine-tuned + BM25 (z-scores)", metrics(r.get("hybrid")));
                withVariants.forEach((variant, trained) -> {
                    String row = "fine-tuned, " + variant;
                    table.put(row, metrics(trained.rankings().get(ServingIndex.TRAINED)));
                    times.put(row, seconds(trained));
                    table.put("hybrid: " + row, metrics(trained.rankings().get("hybrid")));
                });
                QualityTable.print(table, times);
                PairedStatistics.print("fine-tuned vs plain BM25", r.get(ServingIndex.TRAINED), plainBm25);
                PairedStatistics.print("fine-tuned vs BM25", r.get(ServingIndex.TRAINED), r.get("bm25"));
                PairedStatistics.print("hybrid vs BM25", r.get("hybrid"), r.get("bm25"));
                withVariants.forEach((variant, trained) -> {
                    PairedStatistics.print(variant + " vs default", trained.rankings().get(ServingIndex.TRAINED),
                            r.get(ServingIndex.TRAINED));
                    PairedStatistics.print("hybrid with " + variant + " vs hybrid", trained.rankings().get("hybrid"),
                            r.get("hybrid"));
                });
                if (first) {
                    printEpochs("fine-tuned", pretrained);
                }
            }
        }
    }

    /** Which epoch best_metric would keep: val_loss vs the trainer's MRR@10, against search's evaluation of each. */
    private static void printEpochs(String label, Trained trained) {
        System.out.println("Per epoch (" + label + "), the trainer's val-split numbers vs search's evaluation of that epoch:");
        for (int i = 0; i < trained.history().size(); i++) {
            EpochResult epoch = trained.history().get(i);
            Map<String, Double> search = trained.searchByEpoch().get(i);
            System.out.printf(Locale.ROOT, "  epoch %d: val loss %.4f, trainer MRR@10 %.3f | search Recall@1 %.3f, "
                            + "Recall@10 %.3f, MRR@10 %.3f%n", epoch.epoch(), epoch.valLoss(), epoch.metric("mrr@10"),
                    search.get("recall@1"), search.get("recall@10"), search.get("mrr@10"));
        }
    }

    private static String seconds(Trained trained) {
        return String.format(Locale.ROOT, "%.0f s (%.0f s/epoch)", trained.seconds(), trained.seconds() / trained.history().size());
    }

    private static Map<String, Double> metrics(List<CodeSearchMetrics.Ranked> rankings) {
        return CodeSearchMetrics.compute(rankings);
    }

    private static Trained trainScratch(EmbeddedKafkaCluster kafka, String salt, List<TextPair> pairs, SplitAssigner splits,
                                        Path work, Corpus corpus, List<String> valPapers) throws Exception {
        List<String> texts = new ArrayList<>();
        pairs.forEach(p -> {
            texts.add(p.paperText());
            texts.add(p.codeText());
        });
        // As the tokenizer-service learns it with its defaults (tokenizer.vocab-size 8000).
        TokenizerSnapshot tokenizer = TokenizerSnapshot.writeWordPiece(work.resolve("wordpiece-" + salt),
                new WordPieceTrainer(8000).train(texts));
        Split split = tokenize(pairs, tokenizer, SCRATCH_MAX_LENGTH, splits);
        return train(kafka, "scratch-" + salt, split, tokenizer, work, corpus, valPapers, null,
                Map.of("num_epochs", SCRATCH_EPOCHS, "learning_rate", SCRATCH_LEARNING_RATE), true);
    }

    private static Split tokenize(List<TextPair> pairs, TokenizerSnapshot snapshot, int maxLength, SplitAssigner splits) {
        List<TokenizedPair> train = new ArrayList<>();
        List<TokenizedPair> val = new ArrayList<>();
        try (TruncatingTokenizer tokenizer = new TruncatingTokenizer(snapshot, maxLength)) {
            for (TextPair p : pairs) {
                String split = splits.splitOf(p.paperId());
                (split.equals(TokenizedPair.VAL) ? val : train).add(BenchmarkData.tokenized(p, tokenizer, split));
            }
        }
        return new Split(train, val);
    }

    private static Trained train(EmbeddedKafkaCluster kafka, String name, Split split, TokenizerSnapshot tokenizer, Path work,
                                 Corpus corpus, List<String> valPapers, ZeroShotBaseline zeroShot,
                                 Map<String, Object> settings, boolean perEpoch) throws Exception {
        String trainTopic = name + ".train";
        String valTopic = name + ".val";
        kafka.createTopics(3, trainTopic, valTopic);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new ByteArraySerializer())) {
            for (TokenizedPair p : split.train()) {
                producer.send(new ProducerRecord<>(trainTopic, p.pairId(), Json.MAPPER.writeValueAsBytes(p)));
            }
            for (TokenizedPair p : split.val()) {
                producer.send(new ProducerRecord<>(valTopic, p.pairId(), Json.MAPPER.writeValueAsBytes(p)));
            }
        }
        Path checkpoints = work.resolve("checkpoints-" + name);
        Map<String, Object> values = new LinkedHashMap<>(settings);
        values.putAll(Map.of("checkpoint_dir", checkpoints.toString(), "tokenizer_path", tokenizer.directory().toString(),
                "train_topic", trainTopic, "val_topic", valTopic));
        TrainingRun run = TrainingRun.overTopics(name, TrainingConfig.of(RunSettings.defaults().with(values)).logEvery(1000),
                Map.of("bootstrap.servers", kafka.bootstrapServers()), Engine.getInstance().defaultDevice());
        run.onEvent(event -> {
            if (event instanceof dev.paper2code.contracts.TrainingEvent.EpochFinished epoch) {
                System.out.printf(Locale.ROOT, "  %s epoch %d: %s%n", name, epoch.epoch(), epoch.values());
            }
        });
        long started = System.nanoTime();
        run.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (run.state() != TrainingRun.State.FINISHED) {
            throw new IllegalStateException(name + " ended " + run.state() + ": " + run.status().failure());
        }
        Map<String, List<CodeSearchMetrics.Ranked>> rankings;
        try (ServingIndex best = ServingIndex.build(checkpoints.resolve(name).resolve(CheckpointLayout.BEST_MODEL), corpus,
                Files.createTempDirectory(work, "index"), HnswOptions.DEFAULTS)) {
            rankings = best.rankings(corpus, valPapers, zeroShot);
        }
        List<Map<String, Double>> byEpoch = new ArrayList<>();
        if (perEpoch) {
            for (EpochResult epoch : run.history()) {
                try (ServingIndex index = ServingIndex.build(checkpoints.resolve(name).resolve(CheckpointLayout.epochName(epoch.epoch())),
                        corpus, Files.createTempDirectory(work, "index"), HnswOptions.DEFAULTS)) {
                    byEpoch.add(index.evaluate(corpus, valPapers));
                }
            }
        }
        return new Trained(rankings, seconds, run.history(), byEpoch);
    }
}
