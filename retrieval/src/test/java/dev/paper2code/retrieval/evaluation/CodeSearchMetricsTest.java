package dev.paper2code.retrieval.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodeSearchMetricsTest {
    private static final List<String> TOP = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

    @Test
    void valuesByHand() {
        Map<String, Double> metrics = CodeSearchMetrics.compute(List.of(
                new CodeSearchMetrics.Ranked(TOP, Set.of("a")),            // rank 1
                new CodeSearchMetrics.Ranked(TOP, Set.of("c", "z")),       // rank 3, one of two relevant found
                new CodeSearchMetrics.Ranked(TOP, Set.of("x"))));          // not in the top 10
        assertEquals(1 / 3.0, metrics.get("recall@1"), 1e-12);
        assertEquals(2 / 3.0, metrics.get("recall@5"), 1e-12);
        assertEquals(2 / 3.0, metrics.get("recall@10"), 1e-12);
        assertEquals((1 + 1 / 3.0) / 3, metrics.get("mrr@10"), 1e-12);
        double secondNdcg = (1 / log2(4)) / (1 / log2(2) + 1 / log2(3));
        assertEquals((1 + secondNdcg) / 3, metrics.get("ndcg@10"), 1e-12);
        assertEquals(3.0, metrics.get("queries"));
    }

    @Test
    void noQueriesGiveZeros() {
        assertEquals(0.0, CodeSearchMetrics.compute(List.of()).get("recall@10"));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
