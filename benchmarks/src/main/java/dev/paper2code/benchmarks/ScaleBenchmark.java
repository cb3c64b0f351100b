package dev.paper2code.benchmarks;

import dev.paper2code.cleaning.EntryCleaner;
import dev.paper2code.cleaning.Outcome;
import dev.paper2code.cleaning.SeedFile;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.modelimport.OnnxBertImporter;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.tokenizer.split.SplitAssigner;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/benchmark scale [links] [repositories-to-embed] [seed]}: the pipeline's stages on a
 * generated export of public paper-code scale ({@link ScaleData}; default 300,000 links), one table:
 *
 * <ol>
 *   <li>generating the file (written to {@code benchmarks/target/scale-<links>.json}, so that
 *       {@code bin/benchmark tokenizer} can run its Streams comparison on the same data);</li>
 *   <li>the parser's cleaning as a stream ({@code SeedFile.forEach}, what parser-service does) in
 *       entries/s with its peak heap, beside reading the file as one tree (what it did before);</li>
 *   <li>the default tokenizer (all-MiniLM-L6-v2's WordPiece, max length 256) alone, pairs/s on one thread;</li>
 *   <li>the trainer's data pass alone on a broker holding every tokenized pair: reading, validation, the
 *       newest-version filter and duplicate-free batching, records/s and peak heap; then a training run
 *       over those topics stopped after three minutes ({@link TrainerShortRun}), and validation's ranking
 *       at the val split's size ({@link ValidationRanking});</li>
 *   <li>search: every repository embedded with the default encoder (repositories/s, CPU), the Lucene
 *       index built over those vectors, 200 papers' embeddings as queries, HNSW p50/p99 and recall@10
 *       against exact search, and hnswlib / FAISS on the same real embeddings ({@link NativePeers}).</li>
 * </ol>
 * {@code repositories-to-embed} caps the search stage's corpus (embedding is the slow part on CPU);
 * default all of them, 0 skips the search stage. The embeddings are kept in {@code benchmarks/target}
 * ({@link EmbeddingCache}), so a second run on the same export (another JVM) measures the index without
 * embedding again. The trainer's rows include validation's ranking at the val split's size
 * ({@link ValidationRanking}).
 */
public final class ScaleBenchmark {
    static final int MAX_LENGTH = 256;
    /** How long the timed training run trains before it is stopped (-Dbenchmark.scale.timed-run-seconds). */
    private static final int TIMED_RUN_SECONDS = Integer.getInteger("benchmark.scale.timed-run-seconds", 180);
    private static final String TRAIN_TOPIC = "scale.tokenized.train";
    private static final String VAL_TOPIC = "scale.tokenized.val";
    /** Only the parser and the search stage (-Dbenchmark.scale.search-only): the index experiments. */
    private static final boolean SEARCH_ONLY = Boolean.getBoolean("benchmark.scale.search-only");

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int links = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int embedLimit = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        System.out.println(BenchmarkData.machine());
        List<String> rows = new ArrayList<>();

        Path file = Path.of("benchmarks/target/scale-" + links + ".json");
        Files.createDirectories(file.getParent());
        long start = System.nanoTime();
        ScaleData.Summary summary = ScaleData.write(file, links, seed, Path.of("data/sample/paper_code_pairs.json"));
        double seconds = since(start);
        System.out.println("Generated " + file + ": " + summary + String.format(Locale.ROOT, " in %.1f s", seconds));
        rows.add(row("generate the export (ScaleData)", summary.links() + " links", seconds, summary.links() / seconds, "links/s", ""));

        // The parser: the whole file as one tree (before) and as a stream (SeedFile.forEach, now). Memory
        // is the heap in use after a full GC with the stage's data still referenced (what it holds),
        // and the old generation's peak above where it started (what survived young collections on the way).
        EntryCleaner cleaner = new EntryCleaner();
        System.gc();
        long base = HeapGauges.heapInUseMiB();
        start = System.nanoTime();
        var tree = EntryCleaner.READER.readTree(Files.newInputStream(file));
        seconds = since(start);
        long treeEntries = tree.size();
        System.gc();
        long treeHolds = HeapGauges.heapInUseMiB() - base;
        tree = null;
        rows.add(row("parser: the file read as one JSON tree (before)", treeEntries + " entries", seconds, treeEntries / seconds,
                "entries/s", "the tree holds " + treeHolds + " MiB of heap"));
        System.gc();
        base = HeapGauges.heapInUseMiB();
        long oldBase = HeapGauges.oldGenMiB();
        HeapGauges.resetPeaks();
        long[] counted = {0};
        start = System.nanoTime();
        int entries = SeedFile.forEach(file, cleaner, entry -> {
            counted[0] += entry.outcomes().size();
        });
        seconds = since(start);
        rows.add(row("parser: streamed and cleaned (SeedFile.forEach), nothing kept", entries + " entries", seconds,
                entries / seconds, "entries/s", String.format(Locale.ROOT, "%,d outcomes; old generation peak %d MiB above its "
                        + "start (one entry at a time: the check pass and the cleaning pass)", counted[0], HeapGauges.peakOldGenMiB() - oldBase)));
        List<TextPair> pairs = new ArrayList<>();
        int[] deadLetters = {0};
        SeedFile.forEach(file, cleaner, entry -> {
            for (Outcome outcome : entry.outcomes()) {
                if (outcome instanceof Outcome.Accepted accepted) {
                    pairs.add(accepted.pair());
                } else {
                    deadLetters[0]++;
                }
            }
        });
        System.gc();
        rows.add(String.format(Locale.ROOT, "| (this benchmark keeps the pairs for the next stages) | %,d pairs | | | | %,d dead letters; "
                + "the pairs hold %d MiB |", pairs.size(), deadLetters[0], HeapGauges.heapInUseMiB() - base));
        System.out.printf(Locale.ROOT, "Parser: %,d entries -> %,d pairs, %,d dead letters%n", entries, pairs.size(), deadLetters[0]);

        Path work = Files.createTempDirectory("scale-benchmark");
        Path miniLm = OnnxBertImporter.importBundledMiniLm(work.resolve("all-minilm-l6-v2")).directory();
        if (SEARCH_ONLY) {
            rows.add("| tokenizer, trainer | | | | | left out (-Dbenchmark.scale.search-only) |");
        } else {
            pipelineStages(pairs, miniLm, work, rows);
        }
        if (embedLimit == 0) {
            printTable(summary, rows, List.of());
            return;
        }
        printTable(summary, rows, ScaleSearchStage.run(pairs, miniLm, work, links, seed, embedLimit, rows));
    }

    /** The tokenizer, the trainer's data pass, a timed training run and validation's ranking. */
    private static void pipelineStages(List<TextPair> pairs, Path miniLm, Path work, List<String> rows) throws Exception {
        double seconds;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            kafka.createTopics(3, TRAIN_TOPIC, VAL_TOPIC);
            SplitAssigner splits = new SplitAssigner(0.2, "paper2code");
            try (TruncatingTokenizer tokenizer = new TruncatingTokenizer(TokenizerSnapshot.read(miniLm), MAX_LENGTH)) {
                // One pass: each pair tokenized (timed alone) and its record put on the broker, as the
                // tokenizer-service would (the Streams app's own rate: bin/benchmark tokenizer on this file).
                long tokens = 0;
                long tokenizingNanos = 0;
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20),
                        new StringSerializer(), new ByteArraySerializer())) {
                    for (TextPair p : pairs) {
                        String split = splits.splitOf(p.paperId());
                        long t0 = System.nanoTime();
                        TokenizedPair record = BenchmarkData.tokenized(p, tokenizer, split);
                        tokenizingNanos += System.nanoTime() - t0;
                        tokens += record.paperInputIds().length + record.codeInputIds().length;
                        producer.send(new ProducerRecord<>(split.equals(TokenizedPair.VAL) ? VAL_TOPIC : TRAIN_TOPIC, p.pairId(),
                                Json.MAPPER.writeValueAsBytes(record)));
                    }
                }
                seconds = tokenizingNanos / 1e9;
                rows.add(row("tokenizer alone (MiniLM WordPiece, max 256), 1 thread", pairs.size() + " pairs", seconds,
                        pairs.size() / seconds, "pairs/s", String.format(Locale.ROOT, "%,.0f tokens/s", tokens / seconds)));
            }
            rows.addAll(TrainerDataPass.measure(kafka, TRAIN_TOPIC, VAL_TOPIC, TokenizerSnapshot.read(miniLm).vocabularySize()));
            rows.addAll(TrainerShortRun.measure(kafka, TRAIN_TOPIC, VAL_TOPIC, miniLm, work, TIMED_RUN_SECONDS));
            rows.addAll(ValidationRanking.measure(pairs, splits));
        }
    }

    private static void printTable(ScaleData.Summary summary, List<String> rows, List<String> peerRows) {
        rows.add(String.format(Locale.ROOT, "| process | | | | | resident set %,d MiB at the end |", BenchmarkData.rssMiB()));

        System.out.printf(Locale.ROOT, "%nScale: %s%n", summary);
        System.out.println("| stage | input | seconds | rate | unit | notes |");
        System.out.println("| --- | ---: | ---: | ---: | --- | --- |");
        rows.forEach(System.out::println);
        if (peerRows.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("The same real embeddings in the native peers (ratios: Lucene's over the peer's):");
        System.out.println(NativePeers.HEADER);
        peerRows.forEach(System.out::println);
    }

    static String row(String stage, String input, double seconds, double rate, String unit, String notes) {
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %,.0f | %s | %s |", stage, input, seconds, rate, unit, notes);
    }

    static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
