package dev.paper2code.training.negatives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.TokenizedPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardNegativeMinerTest {
    /** Ids 0 and 1 are the specials every text has; the rest carry the words. */
    private static TokenizedPair pair(String paper, String repository, int[] paperWords, int[] codeWords) {
        return new TokenizedPair(paper + "::" + repository, paper, repository, TokenizedPair.TRAIN, withSpecials(paperWords),
                ones(paperWords.length + 2), false, withSpecials(codeWords), ones(codeWords.length + 2), false, "f", 64);
    }

    private static int[] withSpecials(int[] words) {
        int[] ids = new int[words.length + 2];
        ids[0] = 0;
        System.arraycopy(words, 0, ids, 1, words.length);
        ids[ids.length - 1] = 1;
        return ids;
    }

    private static int[] ones(int n) {
        int[] mask = new int[n];
        java.util.Arrays.fill(mask, 1);
        return mask;
    }

    /**
     * Paper a (words 10, 11) links a/one and a/two; b/near shares its rare words, b/far shares none.
     * BM25 over token ids ranks b/near first for a, and never one of a's own repositories.
     */
    private static final List<TokenizedPair> PAIRS = List.of(
            pair("a", "a/one", new int[] {10, 11, 12}, new int[] {10, 20}),
            pair("a", "a/two", new int[] {10, 11, 12}, new int[] {11, 21}),
            pair("b", "b/near", new int[] {30, 31}, new int[] {10, 11, 12, 30}),
            pair("c", "c/far", new int[] {40, 41}, new int[] {40, 41, 42}),
            pair("d", "d/other", new int[] {50}, new int[] {50, 51}));

    @Test
    void bm25RanksTheRepositorySharingThePapersRareTokensFirstAndNeverThePapersOwn() {
        HardNegatives negatives = HardNegativeMiner.mine(PAIRS.iterator(), 2, null, 0);

        assertEquals("BM25 over token ids", negatives.rankedBy());
        assertEquals(4, negatives.papers());
        assertEquals(5, negatives.repositories());
        assertEquals("b/near", negatives.of("a").get(0));
        assertEquals(2, negatives.of("a").size());
        for (String paper : List.of("a", "b", "c", "d")) {
            assertTrue(negatives.of(paper).stream().noneMatch(r -> r.startsWith(paper + "/")),
                    paper + " got one of its own repositories: " + negatives.of(paper));
        }
        assertEquals(negatives.of("c"), HardNegativeMiner.mine(PAIRS.iterator(), 2, null, 0).of("c"), "deterministic");
    }

    @Test
    void extraNegativesAreNeverABatchPapersRepositoryNorABatchColumnAndAppearOnce() {
        HardNegatives negatives = HardNegativeMiner.mine(PAIRS.iterator(), 4, null, 0);
        // a's pair in the batch is a/one; a/two is a's too, so it must not come in as a negative for b.
        List<TokenizedPair> batch = List.of(PAIRS.get(0), PAIRS.get(2));
        List<int[]> extra = negatives.extraCodeFor(batch);
        List<String> extraRepositories = extra.stream().map(ids -> PAIRS.stream()
                .filter(p -> java.util.Arrays.equals(p.codeInputIds(), ids)).findFirst().orElseThrow().repository()).toList();
        assertEquals(List.of("c/far", "d/other"), extraRepositories.stream().sorted().toList());
    }

    /** b/near scores above both of a's own repositories: with the margin it is a likely true match, not a negative. */
    @Test
    void aCandidateScoringAboveThePapersOwnRepositoryIsNoNegative() {
        HardNegatives negatives = HardNegativeMiner.mine(PAIRS.iterator(), 2, null);
        assertTrue(!negatives.of("a").contains("b/near"), negatives.of("a").toString());
        assertEquals(2, negatives.of("a").size(), "the next ones below the margin take its place");
    }
}
