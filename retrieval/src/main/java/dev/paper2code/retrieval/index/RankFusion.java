package dev.paper2code.retrieval.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Buettcher, SIGIR 2009): a document's fused score is the
 * sum over rankings of {@code 1 / (K + rank)}, rank 1-based. It needs no score calibration between
 * BM25 (unbounded) and cosine similarity (in [-1, 1]), which is why it fuses keyword and dense search.
 */
public final class RankFusion {
    /** The paper's constant: it damps the weight of the very top ranks; 60 is also Elasticsearch's default. */
    public static final int K = 60;
    /** How deep each ranking is read before fusing: a document past this rank in both is not fused. */
    public static final int DEPTH = 100;

    /** A fused key and its score. */
    public record Fused(String key, double score) {
    }

    private RankFusion() {
    }

    /** The keys of every ranking (best first each), fused, best first; ties by key. */
    public static List<Fused> fuse(List<List<String>> rankings) {
        Map<String, Double> scores = new HashMap<>();
        for (List<String> ranking : rankings) {
            for (int rank = 1; rank <= Math.min(DEPTH, ranking.size()); rank++) {
                scores.merge(ranking.get(rank - 1), 1.0 / (K + rank), Double::sum);
            }
        }
        List<Fused> fused = new ArrayList<>(scores.size());
        scores.forEach((key, score) -> fused.add(new Fused(key, score)));
        fused.sort(Comparator.comparingDouble((Fused f) -> -f.score()).thenComparing(Fused::key));
        return fused;
    }
}
