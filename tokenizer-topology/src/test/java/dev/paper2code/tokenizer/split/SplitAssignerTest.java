package dev.paper2code.tokenizer.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.TokenizedPair;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitAssignerTest {

    private static List<String> assign(SplitAssigner assigner, int papers) {
        return IntStream.range(0, papers).mapToObj(i -> assigner.splitOf("2401." + i)).toList();
    }

    @Test
    void aPaperAlwaysLandsOnTheSameSide() {
        assertEquals(assign(new SplitAssigner(0.2, "s"), 1000), assign(new SplitAssigner(0.2, "s"), 1000));
    }

    @Test
    void aboutTheConfiguredShareGoesToValidation() {
        long val = assign(new SplitAssigner(0.2, "paper2code"), 10_000).stream().filter(TokenizedPair.VAL::equals).count();
        // Binomial(10000, 0.2) has a standard deviation of 40; 1800..2200 is five of them.
        assertTrue(val > 1800 && val < 2200, "validation share " + val + " of 10000");
    }

    @Test
    void theSaltReshufflesAndTheRatioIsMonotone() {
        assertNotEquals(assign(new SplitAssigner(0.2, "a"), 200), assign(new SplitAssigner(0.2, "b"), 200));
        SplitAssigner assigner = new SplitAssigner(0.2, "s");
        SplitAssigner larger = new SplitAssigner(0.3, "s");
        IntStream.range(0, 500).mapToObj(i -> "p" + i)
                .filter(id -> assigner.splitOf(id).equals(TokenizedPair.VAL))
                .forEach(id -> assertEquals(TokenizedPair.VAL, larger.splitOf(id), "raising the ratio moved " + id + " out of val"));
        assertTrue(assign(new SplitAssigner(0, "s"), 100).stream().allMatch(TokenizedPair.TRAIN::equals));
        assertTrue(assign(new SplitAssigner(1, "s"), 100).stream().allMatch(TokenizedPair.VAL::equals));
        assertThrows(IllegalArgumentException.class, () -> new SplitAssigner(1.5, "s"));
    }
}
