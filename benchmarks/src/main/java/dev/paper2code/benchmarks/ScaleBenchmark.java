package dev.paper2code.benchmarks;

import dev.paper2code.cleaning.EntryCleaner;
import dev.paper2code.cleaning.Outcome;
import dev.paper2code.cleaning.SeedFile;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.modelimport.OnnxBertImporter;
import dev.paper2code.retrieval.corpus.CodeDocument;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.corpus.CorpusPaper;
import dev.paper2code.retrieval.encoding.CheckpointEncoders;
import dev.paper2code.retrieval.index.HnswOptions;
import dev.paper2code.retrieval.index.RepositoryIndex;
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
    private static final int QUERIES = 200;
    private static final int WARMUP = 20;
    private static final int K = 10;
    private static final int MAX_LENGTH = 256;
    /** How long the timed training run trains before it is stopped (-Dbenchmark.scale.timed-run-seconds). */
    private static final int TIMED_RUN_SECONDS = Integer.getInteger("benchmark.scale.timed-run-seconds", 180);
    private static final String TRAIN_TOPIC = "scale.tokenized.train";
    private static final String VAL_TOPIC = "scale.tokenized.val";
    /** Only the parser and the search stage (-Dbenchmark.scale.search-only): the index experiments. */
    private static final boolean SEARCH_ONLY = Boolean.getBoolean("benchmark.scale.search-only");
    /** Whether the built index is then merged into one graph and timed again (-Dbenchmark.scale.merge, default true). */
    private static final boolean MERGE = Boolean.parseBoolean(System.getProperty("benchmark.scale.merge", "true"));

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
        searchStage(pairs, miniLm, work, links, seed, embedLimit, summary, rows);
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

    /**
     * Every repository embedded (or read back), the Lucene index built as a promotion builds it, its
     * queries timed against exact search and swept over widths ({@link RecallSweep}), then merged into
     * one graph and timed again; hnswlib on the same vectors.
     */
    private static void searchStage(List<TextPair> pairs, Path miniLm, Path work, int links, long seed, int embedLimit,
                                    ScaleData.Summary summary, List<String> rows) throws Exception {
        long start;
        double seconds;
        Corpus corpus = Corpus.of(pairs);
        List<CodeDocument> repositories = corpus.repositories();
        if (repositories.size() > embedLimit) {
            repositories = repositories.subList(0, embedLimit);
        }
        System.out.printf(Locale.ROOT, "Corpus: %,d papers, %,d repositories; embedding %,d%n", corpus.paperCount(),
                corpus.repositoryCount(), repositories.size());
        List<String> peerRows;
        try (CheckpointEncoders encoders = CheckpointEncoders.pretrained(miniLm, MAX_LENGTH)) {
            // Named by what determines the vectors: the generated export (links, seed), how many, the encoder.
            Path cache = Path.of("benchmarks/target/scale-" + links + "-seed" + seed + "-" + repositories.size()
                    + "-all-minilm-l6-v2-" + MAX_LENGTH + ".embeddings");
            float[][] vectors = EmbeddingCache.read(cache, repositories.size());
            if (vectors == null) {
                start = System.nanoTime();
                vectors = encoders.embedCode(repositories.stream().map(CodeDocument::codeText).toList());
                seconds = since(start);
                rows.add(row("search: repositories embedded (all-MiniLM-L6-v2, CPU)", repositories.size() + " repositories", seconds,
                        repositories.size() / seconds, "repositories/s", Runtime.getRuntime().availableProcessors()
                                + " CPU cores, DJL PyTorch"));
                EmbeddingCache.write(cache, vectors);
            } else {
                rows.add(String.format(Locale.ROOT, "| search: repositories embedded | %,d repositories | | | | read from %s "
                        + "(written by an earlier run of the same export; embedding not timed in this run) |", vectors.length, cache));
            }
            List<CorpusPaper> papers = corpus.papers();
            List<String> queryTexts = new ArrayList<>();
            for (int i = 0; i < QUERIES + WARMUP; i++) {
                queryTexts.add(papers.get((int) ((long) i * papers.size() / (QUERIES + WARMUP))).text());
            }
            float[][] queries = encoders.embedPapers(queryTexts);

            Path indexDir = work.resolve("index");
            try (RepositoryIndex index = RepositoryIndex.create(indexDir, HnswOptions.DEFAULTS)) {
                start = System.nanoTime();
                index.upsert(repositories, vectors);
                index.commit();
                double build = since(start);
                rows.add(row("search: Lucene HNSW index built (" + HnswOptions.DEFAULTS.buildThreads() + " writer threads)", repositories.size() + " vectors", build,
                        repositories.size() / build, "vectors/s", "M 32, beam 200"));
                java.util.Map<String, Integer> row = new java.util.HashMap<>();
                for (int i = 0; i < repositories.size(); i++) {
                    row.put(repositories.get(i).key(), i);
                }
                int segments = index.segmentCount();
                QueryTimings timed = QueryTimings.measure(index, queries, row::get, WARMUP, K);
                rows.add(queryRow(segments + " segments", timed));
                String asBuilt = "Lucene, " + segments + " graphs (as built)";
                List<RecallSweep.Point> sweep = new ArrayList<>(RecallSweep.lucene(asBuilt, index, queries, timed.truth(), row::get, WARMUP, K));
                List<NativePeers.Result> luceneRuns = new ArrayList<>(List.of(timed.lucene(HnswOptions.DEFAULTS.buildThreads(), build)));
                if (MERGE) {
                    start = System.nanoTime();
                    index.mergeIntoOneGraph();
                    index.commit();
                    double merge = since(start);
                    rows.add(row("search: the " + segments + " segments merged into one graph (" + HnswOptions.DEFAULTS.buildThreads()
                            + " merge workers)", repositories.size() + " vectors", merge, repositories.size() / merge, "vectors/s",
                            String.format(Locale.ROOT, "build and merge %.1f s; %d segment(s) now", build + merge, index.segmentCount())));
                    QueryTimings merged = QueryTimings.measure(index, queries, row::get, WARMUP, K);
                    rows.add(queryRow("one graph", merged));
                    sweep.addAll(RecallSweep.lucene("Lucene, one graph (merged)", index, queries, merged.truth(), row::get, WARMUP, K));
                    NativePeers.Result one = merged.lucene(HnswOptions.DEFAULTS.buildThreads(), build + merge);
                    luceneRuns.add(new NativePeers.Result("Lucene HNSW merged into one graph", one.threads(), one.buildSeconds(),
                            one.p50Millis(), one.p99Millis(), one.queriesPerSecond(), one.recall()));
                }
                peerRows = new ArrayList<>(NativePeers.compare(repositories.size(), vectors[0].length, vectors, queries, timed.truth(),
                        WARMUP, K, luceneRuns, sweep));
                peerRows.add("");
                peerRows.add("Recall against single-thread query time, each system at each width (RecallSweep):");
                peerRows.addAll(RecallSweep.pointRows(sweep));
                peerRows.add("");
                peerRows.add("At equal recall: each system's fastest width that reaches the level (ratio to hnswlib's p50):");
                peerRows.addAll(RecallSweep.equalRecallRows(sweep, "hnswlib"));
            }
        }
        printTable(summary, rows, peerRows);
    }

    private static String queryRow(String index, QueryTimings timed) {
        return String.format(Locale.ROOT, "| search: queries (paper embeddings), k 10, %s | %d queries | | | | HNSW p50 %.2f ms, "
                        + "p99 %.2f ms, recall@10 %.4f against exact; exact p50 %.2f ms, p99 %.2f ms |", index, QUERIES,
                QueryTimings.percentile(timed.hnswMillis(), 50), QueryTimings.percentile(timed.hnswMillis(), 99),
                timed.recall(), QueryTimings.percentile(timed.exactMillis(), 50), QueryTimings.percentile(timed.exactMillis(), 99));
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
