package dev.paper2code.retrieval.evaluation;

import dev.paper2code.retrieval.TopK;
import dev.paper2code.retrieval.Vectors;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
     * <p>Only the top {@link #CUTOFF} are kept, selected in one scan ({@link TopK}; a full sort of
     * the corpus per query made validation at 40,000 val repositories take hours; see
     * docs/BENCHMARKS.md, Scale), and the queries are ranked on every core. The result is the same as
     * sorting the whole corpus by the rule above and cutting at {@link #CUTOFF}.
     *
     * @param relevant for each query, the indices of its relevant documents in {@code corpus}
     */
    public static List<Ranked> rank(float[][] queries, float[][] corpus, List<Set<Integer>> relevant) {
        float[][] units = new float[corpus.length][];
        for (int c = 0; c < corpus.length; c++) {
            units[c] = Vectors.unit(corpus[c]);
        }
        return IntStream.range(0, queries.length).parallel()
                .mapToObj(q -> topOf(Vectors.unit(queries[q]), units, relevant.get(q)))
                .toList();
    }

    private static Ranked topOf(float[] query, float[][] units, Set<Integer> relevant) {
        float[] scores = new float[units.length];
        for (int c = 0; c < units.length; c++) {
            scores[c] = Vectors.dot(query, units[c]);
        }
        // Higher score first; on equal scores an irrelevant document first, then the lower index.
        int[] top = TopK.best(units.length, CUTOFF, c -> true, (a, b) -> {
            int byScore = Double.compare(-(double) scores[a], -(double) scores[b]);
            if (byScore != 0) {
                return byScore < 0;
            }
            int byRelevance = Boolean.compare(relevant.contains(a), relevant.contains(b));
            return byRelevance != 0 ? byRelevance < 0 : a < b;
        });
        return new Ranked(Arrays.stream(top).mapToObj(String::valueOf).toList(),
                relevant.stream().map(String::valueOf).collect(Collectors.toSet()));
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
