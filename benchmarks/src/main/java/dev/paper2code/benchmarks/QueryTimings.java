package dev.paper2code.benchmarks;

import dev.paper2code.retrieval.index.RepositoryIndex;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The search index's queries timed the one way every benchmark times them: each query answered by
 * HNSW and by exact search, the first {@code warmup} not timed; the answers as row numbers, so that
 * recall and the native peers' answers compare on the same truth.
 *
 * @param found HNSW's top k per query (row numbers, best first)
 * @param truth exact search's top k per query
 */
record QueryTimings(int[][] found, int[][] truth, double[] hnswMillis, double[] exactMillis, int warmup) {

    static QueryTimings measure(RepositoryIndex index, float[][] queries, ToIntFunction<String> rowOfKey, int warmup, int k)
            throws IOException {
        int[][] found = new int[queries.length][];
        int[][] truth = new int[queries.length][];
        double[] hnsw = new double[queries.length - warmup];
        double[] exact = new double[queries.length - warmup];
        // Two passes, HNSW's queries back to back and then exact search's: the native peers time theirs
        // back to back, and an exact scan between two graph searches streams every vector (300 MB at
        // 200,000 x 384) through the caches the next graph search would have used.
        for (int q = 0; q < queries.length; q++) {
            long t0 = System.nanoTime();
            List<RepositoryIndex.Hit> approximate = index.searchHnsw(queries[q], k);
            long t1 = System.nanoTime();
            found[q] = approximate.stream().mapToInt(h -> rowOfKey.applyAsInt(h.document().key())).toArray();
            if (q >= warmup) {
                hnsw[q - warmup] = (t1 - t0) / 1e6;
            }
        }
        for (int q = 0; q < queries.length; q++) {
            long t0 = System.nanoTime();
            List<RepositoryIndex.Hit> exactHits = index.searchExact(queries[q], k);
            long t1 = System.nanoTime();
            truth[q] = exactHits.stream().mapToInt(h -> rowOfKey.applyAsInt(h.document().key())).toArray();
            if (q >= warmup) {
                exact[q - warmup] = (t1 - t0) / 1e6;
            }
        }
        return new QueryTimings(found, truth, hnsw, exact, warmup);
    }

    double recall() {
        return recall(found, truth, warmup);
    }

    /** The share of the true top k found, over the timed queries. */
    static double recall(int[][] found, int[][] truth, int warmup) {
        long hits = 0;
        long total = 0;
        for (int q = warmup; q < truth.length; q++) {
            Set<Integer> relevant = new HashSet<>();
            Arrays.stream(truth[q]).forEach(relevant::add);
            hits += Arrays.stream(found[q]).filter(relevant::contains).count();
            total += truth[q].length;
        }
        return hits / (double) total;
    }

    /** Lucene's row of the peers' table: its build time and these queries. */
    NativePeers.Result lucene(int threads, double buildSeconds) {
        return new NativePeers.Result("Lucene HNSW (this index)", threads, buildSeconds, percentile(hnswMillis, 50),
                percentile(hnswMillis, 99), hnswMillis.length / (Arrays.stream(hnswMillis).sum() / 1e3), recall());
    }

    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
