package dev.paper2code.retrieval.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
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
}
