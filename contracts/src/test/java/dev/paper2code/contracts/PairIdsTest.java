package dev.paper2code.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairIdsTest {
    @Test
    void thePaperIdReadsBackFromEveryPairIdEvenWhenItHoldsTheSeparatorOrEscapes() {
        for (String paper : List.of("2104.08821", "https://arxiv.org/abs/2104.08821", "a::x", "x:", ":x", "100%",
                "%3A", "%253A::%25", "a:::b", "::")) {
            String id = PairIds.of(paper, "Owner/Repo::x");
            assertEquals(paper, PairIds.paperIdOf(id), id);
        }
        assertEquals("2104.08821::princeton-nlp/simcse", PairIds.of("2104.08821", "princeton-nlp/SimCSE"));
        assertNull(PairIds.paperIdOf("no-separator"));
    }
}
