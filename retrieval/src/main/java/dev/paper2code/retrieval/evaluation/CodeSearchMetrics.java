package dev.paper2code.retrieval.evaluation;

import dev.paper2code.retrieval.Vectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Code-search quality as the CodeSearchNet / CoSQA papers report it, from each query's top 10 over the
 * whole corpus (not only the val split's repositories), binary relevance (any repository the paper
 * links is relevant): Recall@1/5/10 (a relevant repository in the top K), MRR@10 (1/rank of the first
 * relevant one, 0 past 10) and NDCG@10 (DCG of the relevant ones' positions over the ideal DCG).
 * Higher is better for all; the keys are {@link Metric}'s. The one place ranking metrics are computed:
 * search's evaluation ranks with its index, the trainer's validation with {@link #rank}.
 */
public final class CodeSearchMetrics {
    public static final int CUTOFF = 10;
    public static final List<String> KEYS = Metric.ranking().stream().map(Metric::key).toList();

    /** One query: the keys of its top results in order (at least {@link #CUTOFF} when the corpus has them) and its relevant keys. */
    public record Ranked(List<String> topKeys, Set<String> relevant) {
    }

    private CodeSearchMetrics() {
    }

    /** Means over the queries; all 0 when there are none. {@code queries} is added as a count. */
    public static Map<String, Double> compute(List<Ranked> rankings) {
        double[] sums = new double[KEYS.size()];
        for (Ranked ranked : rankings) {
            int firstRelevant = 0;
            double dcg = 0;
            for (int position = 1; position <= Math.min(CUTOFF, ranked.topKeys().size()); position++) {
                if (ranked.relevant().contains(ranked.topKeys().get(position - 1))) {
                    firstRelevant = firstRelevant == 0 ? position : firstRelevant;
                    dcg += 1 / log2(position + 1);
                }
            }
            double idealDcg = 0;
            for (int position = 1; position <= Math.min(CUTOFF, ranked.relevant().size()); position++) {
                idealDcg += 1 / log2(position + 1);
            }
            sums[0] += firstRelevant == 1 ? 1 : 0;
            sums[1] += firstRelevant >= 1 && firstRelevant <= 5 ? 1 : 0;
            sums[2] += firstRelevant >= 1 ? 1 : 0;
            sums[3] += firstRelevant >= 1 ? 1.0 / firstRelevant : 0;
            sums[4] += idealDcg == 0 ? 0 : dcg / idealDcg;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < KEYS.size(); i++) {
            metrics.put(KEYS.get(i), rankings.isEmpty() ? 0 : sums[i] / rankings.size());
        }
        metrics.put("queries", (double) rankings.size());
        return metrics;
    }

    /**
     * Each query ranks the whole corpus by the dot product of unit vectors (cosine); keys are corpus
     * indices as text. Ties count against the query: a relevant document tied with others is placed
     * after them (pessimistic), then by index.
     *
     * @param relevant for each query, the indices of its relevant documents in {@code corpus}
     */
    public static List<Ranked> rank(float[][] queries, float[][] corpus, List<Set<Integer>> relevant) {
        float[][] units = new float[corpus.length][];
        for (int c = 0; c < corpus.length; c++) {
            units[c] = Vectors.unit(corpus[c]);
        }
        List<Ranked> rankings = new java.util.ArrayList<>();
        for (int q = 0; q < queries.length; q++) {
            float[] query = Vectors.unit(queries[q]);
            Set<Integer> relevantHere = relevant.get(q);
            float[] scores = new float[corpus.length];
            List<Integer> order = new java.util.ArrayList<>();
            for (int c = 0; c < corpus.length; c++) {
                scores[c] = Vectors.dot(query, units[c]);
                order.add(c);
            }
            order.sort(java.util.Comparator.<Integer>comparingDouble(c -> -scores[c])
                    .thenComparing(c -> relevantHere.contains(c)).thenComparingInt(c -> c));
            rankings.add(new Ranked(order.stream().limit(CUTOFF).map(String::valueOf).toList(),
                    relevantHere.stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet())));
        }
        return rankings;
    }

    /** One query's reciprocal rank of its first relevant key within the top {@link #CUTOFF} (0 past it): MRR@10's summand. */
    public static double reciprocalRank(Ranked ranked) {
        for (int position = 1; position <= Math.min(CUTOFF, ranked.topKeys().size()); position++) {
            if (ranked.relevant().contains(ranked.topKeys().get(position - 1))) {
                return 1.0 / position;
            }
        }
        return 0;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
