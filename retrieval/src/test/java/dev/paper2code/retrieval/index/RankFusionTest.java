package dev.paper2code.retrieval.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankFusionTest {
    private static RankFusion.Scored s(String key, double score) {
        return new RankFusion.Scored(key, score);
    }

    @Test
    void scoresAreStandardisedPerRankingSoNeitherScaleDominates() {
        // BM25's scale is ten times the cosine's; standardised, each ranking's top counts the same.
        List<RankFusion.Scored> dense = List.of(s("a", 0.9), s("b", 0.5), s("c", 0.4), s("d", 0.3));
        List<RankFusion.Scored> bm25 = List.of(s("b", 12.0), s("a", 11.0), s("d", 2.0), s("c", 1.0));
        List<RankFusion.Scored> fused = RankFusion.fuse(List.of(dense, bm25));

        // dense z: a 1.65, b -0.11, c -0.55, d -0.99; bm25 z: b 1.09, a 0.90, d -0.90, c -1.09.
        assertEquals(List.of("a", "b", "c", "d"), fused.stream().map(RankFusion.Scored::key).toList());
        // a: dense z = (0.9 - 0.525) / sd, bm25 z = (11 - 6.5) / sd'; the fused score is their mean.
        double denseSd = Math.sqrt((0.375 * 0.375 + 0.025 * 0.025 + 0.125 * 0.125 + 0.225 * 0.225) / 4);
        double bm25Sd = Math.sqrt((5.5 * 5.5 + 4.5 * 4.5 + 4.5 * 4.5 + 5.5 * 5.5) / 4);
        assertEquals((0.375 / denseSd + 4.5 / bm25Sd) / 2, fused.get(0).score(), 1e-9);
    }

    @Test
    void aKeyMissingFromOneRankingCountsWithThatRankingsLowestScore() {
        List<RankFusion.Scored> dense = List.of(s("a", 0.75), s("b", 0.25));
        List<RankFusion.Scored> bm25 = List.of(s("c", 5.0), s("a", 1.0));
        List<RankFusion.Scored> fused = RankFusion.fuse(List.of(dense, bm25));

        // z-scores: dense a +1, b -1; bm25 c +1, a -1. b misses bm25 (floor -1): (-1 + -1) / 2; c misses
        // dense (floor -1): (-1 + 1) / 2 = 0, tied with a, so by key.
        assertEquals(List.of("a", "c", "b"), fused.stream().map(RankFusion.Scored::key).toList());
        assertEquals(0.0, fused.get(0).score(), 1e-9);
        assertEquals(0.0, fused.get(1).score(), 1e-9);
        assertEquals(-1.0, fused.get(2).score(), 1e-9);
        assertEquals(List.of(), RankFusion.fuse(List.of(List.of(), List.of())));
    }
}
