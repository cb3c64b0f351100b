package dev.paper2code.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.paper2code.contracts.TokenizedPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-memory source keeps the contract a topic pass keeps: same order, newest versions, invalid records counted. */
class InMemoryPairsTest {
    private static TokenizedPair pair(String id, int firstToken) {
        int[] ids = {0, firstToken, 2};
        int[] mask = {1, 1, 1};
        return new TokenizedPair(id, id.split("::")[0], id.split("::")[1], TokenizedPair.TRAIN, ids, mask, false, ids, mask,
                false, "fp", 8);
    }

    private static List<String> read(PairSource source) {
        List<String> seen = new ArrayList<>();
        try (PairSource.Pass pass = source.open(() -> false)) {
            pass.forEachRemaining(p -> seen.add(p.pairId() + "/" + p.paperInputIds()[1]));
        }
        return seen;
    }

    @Test
    void aPairListedAgainIsReadInItsNewestVersionOnceTheSourceIsSettled() {
        InMemoryPairs source = new InMemoryPairs("train", List.of(pair("a::x", 5), pair("b::y", 6), pair("a::x", 7)));
        assertEquals(List.of("a::x/5", "b::y/6", "a::x/7"), read(source), "before settling every version is read");
        assertEquals(1, source.keepLatestVersions());
        assertEquals(List.of("b::y/6", "a::x/7"), read(source));
        assertEquals(read(source), read(source), "every pass yields the same sequence");
    }

    @Test
    void invalidPairsAreLeftOutAndCountedByReason() {
        InMemoryPairs source = new InMemoryPairs("train", List.of(pair("a::x", 5), pair("b::y", 99), pair("c::z", 6)));
        SkippedRecords skipped = new SkippedRecords();
        source.validateWith(new PairValidator(50, 0), skipped);
        assertEquals(List.of("a::x/5", "c::z/6"), read(source));
        assertEquals(1, skipped.count());
        assertEquals(java.util.Map.of("ID_OUT_OF_VOCABULARY", 1L), skipped.byReason());
    }

    @Test
    void aPassEndsWhenStopped() {
        InMemoryPairs source = new InMemoryPairs("train", List.of(pair("a::x", 5), pair("b::y", 6), pair("c::z", 7)));
        AtomicInteger read = new AtomicInteger();
        try (PairSource.Pass pass = source.open(() -> read.get() >= 2)) {
            while (pass.hasNext()) {
                pass.next();
                read.incrementAndGet();
            }
        }
        assertEquals(2, read.get());
    }
}
