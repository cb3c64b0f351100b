package dev.paper2code.retrieval.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.paper2code.retrieval.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trainer's validation ranking (formerly RetrievalMetrics): {@link CodeSearchMetrics#rank} then compute. */
class RankingByCosineTest {
    private static Map<String, Double> compute(float[][] papers, float[][] codes, List<Set<Integer>> relevant) {
        return CodeSearchMetrics.compute(CodeSearchMetrics.rank(papers, codes, relevant));
    }

    @Test
    void ranksByCosineAndCountsAnyRelevantRepository() {
        float[][] codes = {{1, 0}, {0, 1}, {1, 1}, {-1, 0}};
        float[][] papers = {
            {2, 0.1f},   // nearest: code 0 (relevant)            -> rank 1
            {1, 0.9f},   // order: 2, 0/1 ...; relevant code 1     -> rank 3
            {-1, 0.2f},  // relevant {0, 3}: code 3 is nearest     -> rank 1
        };
        List<Set<Integer>> relevant = List.of(Set.of(0), Set.of(1), Set.of(0, 3));

        Map<String, Double> metrics = compute(papers, codes, relevant);

        assertEquals(2.0 / 3, metrics.get("recall@1"), 1e-9);
        assertEquals(1.0, metrics.get("recall@5"), 1e-9);
        assertEquals(1.0, metrics.get("recall@10"), 1e-9);
        assertEquals((1 + 1.0 / 3 + 1) / 3, metrics.get("mrr@10"), 1e-9);
    }

    @Test
    void tiesCountAgainstThePaper() {
        float[][] codes = {{1, 0}, {1, 0}};
        Map<String, Double> metrics = compute(new float[][] {{1, 0}}, codes, List.of(Set.of(1)));
        assertEquals(0.0, metrics.get("recall@1"));
        assertEquals(0.5, metrics.get("mrr@10"));
    }

    @Test
    void aRelevantRepositoryPastTenGivesNoReciprocalRank() {
        float[][] codes = new float[12][];
        for (int i = 0; i < 11; i++) {
            codes[i] = new float[] {1, i * 0.01f};
        }
        codes[11] = new float[] {-1, 0};
        Map<String, Double> metrics = compute(new float[][] {{1, 0}}, codes, List.of(Set.of(11)));
        assertEquals(0.0, metrics.get("recall@10"));
        assertEquals(0.0, metrics.get("mrr@10"));
    }

    /**
     * rank keeps only the top 10 in one scan; it must give exactly what sorting the whole corpus by the
     * documented rule gives, ties included: scores here are rounded to a few levels so that many are equal,
     * with relevant and irrelevant documents among the tied ones, on corpora smaller and larger than 10.
     */
    @Test
    void topTenEqualsTheFullSortItReplaced() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int corpusSize = 1 + random.nextInt(60);
            int dimension = 1 + random.nextInt(4);
            float[][] codes = new float[corpusSize][dimension];
            for (float[] code : codes) {
                for (int j = 0; j < dimension; j++) {
                    code[j] = random.nextInt(3) - 1; // few distinct directions: many exact ties
                }
            }
            float[][] papers = new float[5][dimension];
            List<Set<Integer>> relevant = new ArrayList<>();
            for (float[] paper : papers) {
                for (int j = 0; j < dimension; j++) {
                    paper[j] = random.nextInt(3) - 1;
                }
                Set<Integer> some = new HashSet<>();
                for (int r = random.nextInt(4); r > 0; r--) {
                    some.add(random.nextInt(corpusSize));
                }
                relevant.add(some);
            }
            List<CodeSearchMetrics.Ranked> ranked = CodeSearchMetrics.rank(papers, codes, relevant);
            for (int q = 0; q < papers.length; q++) {
                assertEquals(fullSort(papers[q], codes, relevant.get(q)), ranked.get(q).topKeys(), "trial " + trial + ", query " + q);
            }
        }
    }

    /** The ranking as it was written before: every document scored, the whole corpus sorted, cut at 10. */
    private static List<String> fullSort(float[] paper, float[][] codes, Set<Integer> relevant) {
        float[] query = Vectors.unit(paper);
        float[] scores = new float[codes.length];
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < codes.length; c++) {
            scores[c] = Vectors.dot(query, Vectors.unit(codes[c]));
            order.add(c);
        }
        order.sort(Comparator.<Integer>comparingDouble(c -> -scores[c]).thenComparing(relevant::contains).thenComparingInt(c -> c));
        return order.stream().limit(CodeSearchMetrics.CUTOFF).map(String::valueOf).toList();
    }
}
