package dev.paper2code.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.TokenizedPair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoDuplicatesBatchAssemblerTest {
    private static TokenizedPair pair(String paper, String repository) {
        return new TokenizedPair(paper + "::" + repository, paper, repository, TokenizedPair.TRAIN, new int[] {0, 5, 2},
                new int[] {1, 1, 1}, false, new int[] {0, 6, 2}, new int[] {1, 1, 1}, false, "f", 512);
    }

    /** As the real data: one repository linked from 7 papers, papers with up to 3 repositories. */
    private static List<TokenizedPair> dataset() {
        List<TokenizedPair> pairs = new ArrayList<>();
        for (int p = 0; p < 7; p++) {
            pairs.add(pair("popular-" + p, "org/popular"));
        }
        for (int p = 0; p < 40; p++) {
            for (int r = 0; r < 1 + p % 3; r++) {
                pairs.add(pair("paper-" + p, "org/repo-" + p + "-" + r));
            }
        }
        return pairs;
    }

    @Test
    void everyPairLandsInExactlyOneBatchWithoutRepeatedRepositoryOrPaper() {
        List<TokenizedPair> input = dataset();
        List<List<TokenizedPair>> batches = new ArrayList<>();
        NoDuplicatesBatchAssembler assembler = new NoDuplicatesBatchAssembler(8, 16, new Random(1), batches::add);
        input.forEach(assembler::add);
        assembler.finish();

        assertEquals(input.size(), batches.stream().mapToInt(List::size).sum());
        assertEquals(Set.copyOf(input), batches.stream().flatMap(List::stream).collect(java.util.stream.Collectors.toSet()));
        for (List<TokenizedPair> batch : batches) {
            assertTrue(batch.size() <= 8);
            Set<String> repositories = new HashSet<>();
            Set<String> papers = new HashSet<>();
            for (TokenizedPair pair : batch) {
                assertTrue(repositories.add(pair.repository()), "repository twice in " + batch);
                assertTrue(papers.add(pair.paperId()), "paper twice in " + batch);
            }
        }
        assertTrue(batches.stream().filter(b -> b.size() == 8).count() >= input.size() / 8 - 7,
                "collisions only leave a few batches short");
    }

    @Test
    void theSameSeedGivesTheSameBatchesAndAnotherSeedOthers() {
        assertEquals(batches(7), batches(7));
        assertTrue(!batches(7).equals(batches(8)));
    }

    @Test
    void withoutARandomGeneratorTheTopicOrderIsKept() {
        List<TokenizedPair> input = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            input.add(pair("p" + i, "r" + i));
        }
        List<List<TokenizedPair>> batches = new ArrayList<>();
        NoDuplicatesBatchAssembler assembler = new NoDuplicatesBatchAssembler(8, 4096, null, batches::add);
        input.forEach(assembler::add);
        assembler.finish();
        assertEquals(input, batches.stream().flatMap(List::stream).toList());
    }

    private static List<List<String>> batches(long seed) {
        List<List<String>> ids = new ArrayList<>();
        NoDuplicatesBatchAssembler assembler = new NoDuplicatesBatchAssembler(8, 32, new Random(seed),
                batch -> ids.add(batch.stream().map(TokenizedPair::pairId).toList()));
        dataset().forEach(assembler::add);
        assembler.finish();
        return ids;
    }
}
