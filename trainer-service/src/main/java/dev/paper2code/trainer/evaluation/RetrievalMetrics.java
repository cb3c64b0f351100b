package dev.paper2code.trainer.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Paper-to-code retrieval quality: each paper ranks every distinct code text of the split by cosine
 * similarity; any of the paper's repositories counts as relevant. Recall@K is the share of papers
 * with a relevant repository in the top K; MRR@10 averages 1/rank of the first relevant one (0 past 10).
 */
public final class RetrievalMetrics {
    /** The K of Recall@K, matching {@link Metric#RECALL_AT_1}, {@link Metric#RECALL_AT_5}, {@link Metric#RECALL_AT_10}. */
    static final int[] RECALL_KS = {1, 5, 10};
    /** Ranks past this count 0 in MRR ({@link Metric#MRR_AT_10}). */
    static final int MRR_CUTOFF = 10;

    private RetrievalMetrics() {
    }

    /**
     * @param papers   one embedding per distinct paper
     * @param codes    one embedding per distinct repository
     * @param relevant for each paper, the indices of its repositories in {@code codes}
     */
    public static Map<String, Double> compute(float[][] papers, float[][] codes, List<Set<Integer>> relevant) {
        float[][] normalizedCodes = normalize(codes);
        double[] hits = new double[RECALL_KS.length];
        int[] ks = RECALL_KS;
        double reciprocalRanks = 0;
        for (int p = 0; p < papers.length; p++) {
            float[] query = normalize(new float[][] {papers[p]})[0];
            double[] scores = new double[codes.length];
            for (int c = 0; c < codes.length; c++) {
                double dot = 0;
                for (int d = 0; d < query.length; d++) {
                    dot += query[d] * normalizedCodes[c][d];
                }
                scores[c] = dot;
            }
            int rank = bestRelevantRank(scores, relevant.get(p));
            for (int k = 0; k < ks.length; k++) {
                hits[k] += rank <= ks[k] ? 1 : 0;
            }
            reciprocalRanks += rank <= MRR_CUTOFF ? 1.0 / rank : 0;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        int n = Math.max(1, papers.length);
        metrics.put(Metric.RECALL_AT_1.key(), hits[0] / n);
        metrics.put(Metric.RECALL_AT_5.key(), hits[1] / n);
        metrics.put(Metric.RECALL_AT_10.key(), hits[2] / n);
        metrics.put(Metric.MRR_AT_10.key(), reciprocalRanks / n);
        return metrics;
    }

    /** 1-based rank of the best-scored relevant code; ties count against the paper (pessimistic). */
    private static int bestRelevantRank(double[] scores, Set<Integer> relevant) {
        double best = Double.NEGATIVE_INFINITY;
        for (int index : relevant) {
            best = Math.max(best, scores[index]);
        }
        int rank = 1;
        for (int c = 0; c < scores.length; c++) {
            if (!relevant.contains(c) && scores[c] >= best) {
                rank++;
            }
        }
        return rank;
    }

    private static float[][] normalize(float[][] vectors) {
        float[][] normalized = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            double norm = 0;
            for (float v : vectors[i]) {
                norm += v * v;
            }
            double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
            normalized[i] = new float[vectors[i].length];
            for (int d = 0; d < vectors[i].length; d++) {
                normalized[i][d] = (float) (vectors[i][d] * scale);
            }
        }
        return normalized;
    }
}
