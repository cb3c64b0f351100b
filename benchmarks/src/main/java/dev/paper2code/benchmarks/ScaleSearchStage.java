package dev.paper2code.benchmarks;

import dev.paper2code.contracts.TextPair;
import dev.paper2code.retrieval.corpus.CodeDocument;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.corpus.CorpusPaper;
import dev.paper2code.retrieval.encoding.CheckpointEncoders;
import dev.paper2code.retrieval.index.HnswOptions;
import dev.paper2code.retrieval.index.RepositoryIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link ScaleBenchmark}'s search stage. */
final class ScaleSearchStage {
    private static final int QUERIES = 200;
    private static final int WARMUP = 20;
    private static final int K = 10;
    private static final int MAX_LENGTH = ScaleBenchmark.MAX_LENGTH;
    /** Whether the built index is then merged into one graph and timed again (-Dbenchmark.scale.merge, default true). */
    private static final boolean MERGE = Boolean.parseBoolean(System.getProperty("benchmark.scale.merge", "true"));

    private ScaleSearchStage() {
    }

    /**
     * Every repository embedded (or read back), the Lucene index built as a promotion builds it, its
     * queries timed against exact search and swept over widths ({@link RecallSweep}), then merged into
     * one graph and timed again; hnswlib on the same vectors.
     */
    static List<String> run(List<TextPair> pairs, Path miniLm, Path work, int links, long seed, int embedLimit, List<String> rows)
            throws Exception {
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
                seconds = ScaleBenchmark.since(start);
                rows.add(ScaleBenchmark.row("search: repositories embedded (all-MiniLM-L6-v2, CPU)", repositories.size() + " repositories", seconds,
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
                double build = ScaleBenchmark.since(start);
                rows.add(ScaleBenchmark.row("search: Lucene HNSW index built (" + HnswOptions.DEFAULTS.buildThreads() + " writer threads)", repositories.size() + " vectors", build,
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
                    double merge = ScaleBenchmark.since(start);
                    rows.add(ScaleBenchmark.row("search: the " + segments + " segments merged into one graph (" + HnswOptions.DEFAULTS.buildThreads()
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
        return peerRows;
    }

    private static String queryRow(String index, QueryTimings timed) {
        return String.format(Locale.ROOT, "| search: queries (paper embeddings), k 10, %s | %d queries | | | | HNSW p50 %.2f ms, "
                        + "p99 %.2f ms, recall@10 %.4f against exact; exact p50 %.2f ms, p99 %.2f ms |", index, QUERIES,
                QueryTimings.percentile(timed.hnswMillis(), 50), QueryTimings.percentile(timed.hnswMillis(), 99),
                timed.recall(), QueryTimings.percentile(timed.exactMillis(), 50), QueryTimings.percentile(timed.exactMillis(), 99));
    }
}
