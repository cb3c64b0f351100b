package dev.paper2code.benchmarks;

import ai.djl.engine.Engine;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.SealedDirectory;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.retrieval.ServingIndex;
import dev.paper2code.retrieval.corpus.CodeDocument;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.index.HnswOptions;
import dev.paper2code.retrieval.index.RepositoryIndex;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.WordPieceTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code bin/benchmark search [sizes] [dataset.json]}: the search index on random unit vectors (index
 * build vectors/s; HNSW and exact query p50/p99; HNSW recall@10 against exact; heap and index size), and
 * the time from a best checkpoint to a serving index on a dataset (model load + embedding every
 * repository + index build), for the small model the local run trains and a CodeBERT-sized one.
 * {@code sizes} is a comma list of {@code count x dimension}, default {@code 10000x768,100000x768,1000000x128}.
 */
public final class SearchBenchmark {
    private static final int QUERIES = 200;
    private static final int K = 10;
    /** Queries answered before the timed ones (JIT, caches), on every system alike. */
    private static final int WARMUP = 20;

    private SearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // bin/benchmark compiles the native peer and names it (and FAISS's python) in system properties.
        String sizes = args.length > 0 ? args[0] : "10000x768,100000x768,1000000x128";
        Path dataset = Path.of(args.length > 1 ? args[1] : "../shared/data/paper_code_pairs.json");
        System.out.println(BenchmarkData.machine());
        System.out.println("HNSW " + HnswOptions.DEFAULTS + ", " + QUERIES + " queries, k = " + K);
        System.out.println("| vectors | dim | build threads | segments | build s | vectors/s | HNSW p50 ms | HNSW p99 ms | exact p50 ms | exact p99 ms | recall@10 | heap MiB (vectors) | index MiB on disk |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<String> peerRows = new ArrayList<>();
        for (String size : sizes.split(",")) {
            String[] parts = size.split("x");
            vectors(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), peerRows);
        }
        System.out.printf("%nThe same vectors and queries in native HNSW (hnswlib, C++ -O3 -march=native) and FAISS "
                + "(Debian's build), M %d, efConstruction %d, ef %d; ratios are Lucene's over the peer's "
                + "(build rate: above 1 Lucene builds faster; p50: above 1 Lucene answers slower)%n",
                HnswOptions.DEFAULTS.maxConnections(), HnswOptions.DEFAULTS.beamWidth(), HnswOptions.DEFAULTS.candidates());
        System.out.println(NativePeers.HEADER);
        peerRows.forEach(System.out::println);
        if (Files.isRegularFile(dataset)) {
            checkpointToServing(dataset);
        } else {
            System.out.println("(no " + dataset + ": checkpoint-to-serving timing skipped)");
        }
    }

    private static void vectors(int count, int dimension, List<String> peerRows) throws IOException, InterruptedException {
        Random random = new Random(count * 31L + dimension);
        Path dir = Files.createTempDirectory("search-bench");
        System.gc();
        long heapBefore = usedHeap();
        float[][] vectors = new float[count][];
        for (int i = 0; i < count; i++) {
            vectors[i] = unit(random, dimension);
        }
        float[][] queries = new float[QUERIES + WARMUP][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = unit(random, dimension);
        }
        List<CodeDocument> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String key = "r/" + i;
            documents.add(new CodeDocument(key, key, null, null, ""));
        }
        List<NativePeers.Result> luceneRuns = new ArrayList<>();
        List<RecallSweep.Point> sweep = new ArrayList<>();
        int[][] truth = null;
        for (int threads : buildThreads()) {
            try (RepositoryIndex index = RepositoryIndex.create(dir.resolve("threads-" + threads),
                    HnswOptions.DEFAULTS.withBuildThreads(threads))) {
                // One upsert, as a service build does (ServingIndex.syncWith): one refresh at the end.
                long start = System.nanoTime();
                index.upsert(documents, vectors);
                index.commit();
                double buildSeconds = (System.nanoTime() - start) / 1e9;
                System.gc();
                long heap = usedHeap() - heapBefore;
                QueryTimings timed = QueryTimings.measure(index, queries, key -> Integer.parseInt(key.substring(2)), WARMUP, K);
                double[] hnsw = timed.hnswMillis();
                double[] exact = timed.exactMillis();
                System.out.printf("| %,d | %d | %d | %d | %.1f | %,.0f | %.2f | %.2f | %.2f | %.2f | %.4f | %d | %d |%n", count,
                        dimension, threads, index.segmentCount(), buildSeconds, count / buildSeconds, percentile(hnsw, 50),
                        percentile(hnsw, 99), percentile(exact, 50), percentile(exact, 99), timed.recall(), heap >> 20,
                        directorySize(dir) >> 20);
                luceneRuns.add(timed.lucene(threads, buildSeconds));
                truth = timed.truth();
                sweep.addAll(RecallSweep.lucene("Lucene, " + threads + " build thread(s), " + index.segmentCount() + " graph(s)",
                        index, queries, truth, key -> Integer.parseInt(key.substring(2)), WARMUP, K));
            }
            delete(dir.resolve("threads-" + threads));
        }
        try {
            List<String> rows = NativePeers.compare(count, dimension, vectors, queries, truth, WARMUP, K, luceneRuns, sweep);
            rows.add(String.format(java.util.Locale.ROOT, "%n%,d x %d: recall against single-thread query time at each width "
                    + "(RecallSweep)", count, dimension));
            rows.addAll(RecallSweep.pointRows(sweep));
            rows.add(String.format(java.util.Locale.ROOT, "%n%,d x %d at equal recall: each system's fastest width that reaches "
                    + "the level", count, dimension));
            rows.addAll(RecallSweep.equalRecallRows(sweep, "hnswlib"));
            rows.add("");
            peerRows.addAll(rows);
        } finally {
            delete(dir);
        }
    }

    /** Lucene's build thread counts ({@code -Dbenchmark.build-threads=1,2}); default one thread and every core. */
    private static List<Integer> buildThreads() {
        int cores = Runtime.getRuntime().availableProcessors();
        String counts = System.getProperty("benchmark.build-threads", cores > 1 ? "1," + cores : "1");
        return java.util.Arrays.stream(counts.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /** Model load, every repository embedded, index built: what a best-checkpoint event costs before the switch. */
    private static void checkpointToServing(Path dataset) throws IOException {
        List<TextPair> pairs = BenchmarkData.pairs(dataset, 1);
        Corpus corpus = Corpus.of(pairs);
        Path work = Files.createTempDirectory("search-bench-ckpt");
        try {
            List<String> texts = new ArrayList<>();
            pairs.forEach(p -> {
                texts.add(p.paperText());
                texts.add(p.codeText());
            });
            TokenizerSnapshot snapshot = TokenizerSnapshot.writeWordPiece(work.resolve("tokenizer-source"),
                    new WordPieceTrainer(8000).train(texts));
            System.out.printf("%nCheckpoint to serving index, %s: %d repositories, %d papers (mean of 3 builds after one warm-up)%n",
                    dataset.getFileName(), corpus.repositoryCount(), corpus.paperCount());
            System.out.println("| model | max length | seconds | repositories/s |");
            System.out.println("| --- | ---: | ---: | ---: |");
            for (String size : List.of("small (hidden 128, 2 layers)", "base (hidden 768, 12 layers, CodeBERT-sized)")) {
                boolean base = size.startsWith("base");
                int maxLength = 256;
                EncoderConfig config = base
                        ? new EncoderConfig("roberta", snapshot.vocabularySize(), 768, 12, 12, 3072, maxLength + 2, 1, 1e-5f,
                                snapshot.padTokenId(), "gelu", 0.02f, EncoderConfig.DEFAULT_DROPOUT, EncoderConfig.DEFAULT_DROPOUT)
                        : EncoderConfig.smallRoberta(snapshot.vocabularySize(), snapshot.padTokenId(), maxLength);
                Path checkpoint = checkpoint(work.resolve(base ? "base" : "small"), config, snapshot, maxLength);
                double total = 0;
                for (int build = 0; build < 4; build++) {
                    Path indexDir = work.resolve("index-" + size.charAt(0) + build);
                    long start = System.nanoTime();
                    try (ServingIndex serving = ServingIndex.build(checkpoint, corpus, indexDir, HnswOptions.DEFAULTS)) {
                        double seconds = (System.nanoTime() - start) / 1e9;
                        total += build == 0 ? 0 : seconds;
                    }
                }
                double mean = total / 3;
                System.out.printf("| %s | %d | %.2f | %.0f |%n", size, maxLength, mean, corpus.repositoryCount() / mean);
            }
        } finally {
            delete(work);
        }
    }

    private static Path checkpoint(Path directory, EncoderConfig config, TokenizerSnapshot snapshot, int maxLength)
            throws IOException {
        try (ContrastiveModel model = ContrastiveModel.fromScratch(config, 42, ContrastiveOptions.seedDefaults(),
                Engine.getInstance().defaultDevice())) {
            model.save(directory);
        }
        Path tokenizer = Files.createDirectories(directory.resolve("tokenizer"));
        Files.write(tokenizer.resolve("tokenizer.json"), snapshot.definition());
        Json.MAPPER.writeValue(tokenizer.resolve(TokenizerSnapshot.CONFIG_FILE).toFile(),
                Map.of(TokenizerSnapshot.MODEL_MAX_LENGTH, maxLength));
        Json.MAPPER.writeValue(directory.resolve("trainer_state.json").toFile(), Map.of("run_id", "bench", "epoch", 1));
        SealedDirectory.seal(directory);
        return directory;
    }

    private static float[] unit(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return dev.paper2code.retrieval.Vectors.unit(v);
    }

    private static double percentile(double[] values, int p) {
        return QueryTimings.percentile(values, p);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        dev.paper2code.contracts.Directories.deleteRecursively(dir);
    }
}
