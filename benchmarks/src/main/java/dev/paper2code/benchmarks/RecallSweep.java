package dev.paper2code.benchmarks;

import dev.paper2code.retrieval.index.RepositoryIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Recall against query time, the way ANN benchmarks compare graph indexes: each system answers the
 * same queries at several search widths (Lucene's candidates per query, hnswlib's ef), and systems are
 * compared at equal recall (the fastest width of each that reaches a recall level), not at equal
 * settings: two HNSW implementations choose and prune neighbours differently, so one ef buys each a
 * different recall.
 */
final class RecallSweep {
    /** The widths swept unless -Dbenchmark.sweep says otherwise. */
    static final List<Integer> WIDTHS = widths(System.getProperty("benchmark.sweep", "10,20,40,80,160,400"));
    /** The recall levels at which systems are compared. */
    static final double[] LEVELS = {0.95, 0.98, 0.99, 0.995};

    /** One system at one width: its single-thread query times and recall@k over the timed queries. */
    record Point(String system, int width, double p50Millis, double p99Millis, double recall) {
    }

    private RecallSweep() {
    }

    static List<Integer> widths(String commaSeparated) {
        List<Integer> widths = new ArrayList<>();
        for (String width : commaSeparated.split(",")) {
            if (!width.isBlank()) {
                widths.add(Integer.parseInt(width.trim()));
            }
        }
        return List.copyOf(widths);
    }

    /** The index's HNSW search at each width, answers scored against {@code truth}. */
    static List<Point> lucene(String system, RepositoryIndex index, float[][] queries, int[][] truth, ToIntFunction<String> rowOfKey,
                              int warmup, int k) throws IOException {
        List<Point> points = new ArrayList<>();
        for (int width : WIDTHS) {
            int[][] found = new int[queries.length][];
            double[] millis = new double[queries.length - warmup];
            for (int q = 0; q < queries.length; q++) {
                long t0 = System.nanoTime();
                List<RepositoryIndex.Hit> hits = index.searchHnsw(queries[q], k, width);
                long t1 = System.nanoTime();
                found[q] = hits.stream().mapToInt(h -> rowOfKey.applyAsInt(h.document().key())).toArray();
                if (q >= warmup) {
                    millis[q - warmup] = (t1 - t0) / 1e6;
                }
            }
            points.add(new Point(system, width, QueryTimings.percentile(millis, 50), QueryTimings.percentile(millis, 99),
                    QueryTimings.recall(found, truth, warmup)));
        }
        return points;
    }

    /** Every point, one row each. */
    static List<String> pointRows(List<Point> points) {
        List<String> rows = new ArrayList<>();
        rows.add("| system | width (candidates / ef) | p50 ms | p99 ms | recall@10 |");
        rows.add("| --- | ---: | ---: | ---: | ---: |");
        for (Point p : points) {
            rows.add(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.4f |", p.system(), p.width(), p.p50Millis(),
                    p.p99Millis(), p.recall()));
        }
        return rows;
    }

    /**
     * At each recall level, each system's fastest point (by p50) that reaches it, with the p50 ratio
     * to {@code reference}'s (above 1: slower than the reference).
     */
    static List<String> equalRecallRows(List<Point> points, String reference) {
        List<String> systems = points.stream().map(Point::system).distinct().toList();
        List<String> rows = new ArrayList<>();
        rows.add("| recall@10 at least | system | width | p50 ms | p99 ms | recall@10 | p50 / " + reference + "'s |");
        rows.add("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        for (double level : LEVELS) {
            Optional<Point> ref = fastest(points, reference, level);
            for (String system : systems) {
                Optional<Point> best = fastest(points, system, level);
                if (best.isEmpty()) {
                    rows.add(String.format(Locale.ROOT, "| %.3f | %s | | | | not reached at any width swept | |", level, system));
                    continue;
                }
                Point p = best.get();
                rows.add(String.format(Locale.ROOT, "| %.3f | %s | %d | %.2f | %.2f | %.4f | %s |", level, system, p.width(),
                        p.p50Millis(), p.p99Millis(), p.recall(),
                        ref.map(r -> String.format(Locale.ROOT, "%.2f", p.p50Millis() / r.p50Millis())).orElse("")));
            }
        }
        return rows;
    }

    private static Optional<Point> fastest(List<Point> points, String system, double level) {
        return points.stream().filter(p -> p.system().equals(system) && p.recall() >= level)
                .min(Comparator.comparingDouble(Point::p50Millis));
    }
}
