package dev.paper2code.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.training.data.NoDuplicatesBatchAssembler.Leftovers;
import java.util.ArrayList;
import java.util.Collections;
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
        NoDuplicatesBatchAssembler assembler = new NoDuplicatesBatchAssembler(8, 16, new Random(1), Leftovers.KEEP, batches::add);
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
        NoDuplicatesBatchAssembler assembler = new NoDuplicatesBatchAssembler(8, 4096, null, Leftovers.KEEP, batches::add);
        input.forEach(assembler::add);
        assembler.finish();
        assertEquals(input, batches.stream().flatMap(List::stream).toList());
    }

    private static List<List<String>> batches(long seed) {
        List<List<String>> ids = new ArrayList<>();
        NoDuplicatesBatchAssembler assembler = new NoDuplicatesBatchAssembler(8, 32, new Random(seed), Leftovers.LEAVE_OUT,
                batch -> ids.add(batch.stream().map(TokenizedPair::pairId).toList()));
        dataset().forEach(assembler::add);
        assembler.finish();
        return ids;
    }

    /**
     * A paper with 5,000 repositories (issue 20, item 4): every pair shares that paper, so at most one of
     * them fits a batch. Before the bound each opened a batch of its own: 5,000 open batches, then
     * batches of one (InfoNCE loss 0) and steps far past the plan.
     */
    @Test
    void aPaperWithThousandsOfRepositoriesNeverMakesBatchesOfOneNorUnboundedMemory() {
        List<TokenizedPair> input = new ArrayList<>(dataset());
        int normal = input.size();
        for (int r = 0; r < 5_000; r++) {
            input.add(pair("hub-paper", "org/hub-" + r));
        }
        Collections.shuffle(input, new Random(3));
        int buffer = 256;
        List<List<TokenizedPair>> batches = new ArrayList<>();
        NoDuplicatesBatchAssembler assembler = new NoDuplicatesBatchAssembler(8, buffer, new Random(1),
                Leftovers.LEAVE_OUT, batches::add);
        int mostHeld = 0;
        for (TokenizedPair pair : input) {
            assembler.add(pair);
            mostHeld = Math.max(mostHeld, assembler.held());
        }
        assembler.finish();

        assertTrue(mostHeld <= 3 * buffer, "held " + mostHeld + " pairs at once, bound " + 3 * buffer);
        long batched = batches.stream().mapToInt(List::size).sum();
        assertEquals(input.size(), batched + assembler.leftOut(), "every pair is batched or counted as left out");
        assertTrue(batches.stream().allMatch(b -> b.size() >= 2), "no batch of one");
        assertTrue(batches.size() <= normal, "each batch of two or more holds a pair of another paper: "
                + batches.size() + " batches from " + normal + " such pairs");
        for (List<TokenizedPair> batch : batches) {
            assertEquals(batch.size(), batch.stream().map(TokenizedPair::paperId).distinct().count(), "paper twice");
            assertEquals(batch.size(), batch.stream().map(TokenizedPair::repository).distinct().count(), "repo twice");
        }
        assertTrue(batches.stream().flatMap(List::stream).filter(p -> p.paperId().equals("hub-paper")).count()
                >= batches.size() / 2, "the hub paper's pairs still train, one per batch where they fit");
    }

    @Test
    void aLonePairIsLeftOutOfTrainingButKeptForValidation() {
        List<List<TokenizedPair>> trained = new ArrayList<>();
        NoDuplicatesBatchAssembler train = new NoDuplicatesBatchAssembler(8, 16, new Random(1), Leftovers.LEAVE_OUT,
                trained::add);
        List<List<TokenizedPair>> validated = new ArrayList<>();
        NoDuplicatesBatchAssembler val = new NoDuplicatesBatchAssembler(8, 16, null, Leftovers.KEEP, validated::add);
        for (NoDuplicatesBatchAssembler assembler : List.of(train, val)) {
            assembler.add(pair("p", "r1"));
            assembler.add(pair("p", "r2"));
            assembler.finish();
        }
        assertTrue(trained.isEmpty());
        assertEquals(2, train.leftOut());
        assertEquals(List.of(List.of("p::r1"), List.of("p::r2")),
                validated.stream().map(b -> b.stream().map(TokenizedPair::pairId).toList()).toList());
        assertEquals(0, val.leftOut());
        assertFalse(NoDuplicatesBatchAssembler.batches(List.of(pair("p", "r1")).iterator(), 8, 16, new Random(1),
                Leftovers.LEAVE_OUT).hasNext());
    }
}
