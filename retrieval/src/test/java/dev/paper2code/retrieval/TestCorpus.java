package dev.paper2code.retrieval;

import dev.paper2code.contracts.TextPair;
import java.util.ArrayList;
import java.util.List;

/** Synthetic pairs for search tests: paper {@code pN} links one repository when N is even, two when odd. */
public final class TestCorpus {
    private static final List<String> WORDS = List.of("contrastive", "retrieval", "transformer", "experts",
            "router", "sentence", "embeddings", "dropout", "attention", "passage", "encoder", "decoder");

    private TestCorpus() {
    }

    public static List<TextPair> pairs(int papers) {
        List<TextPair> pairs = new ArrayList<>();
        for (int p = 0; p < papers; p++) {
            String paperText = WORDS.get(p % WORDS.size()) + " " + WORDS.get((p * 5 + 3) % WORDS.size()) + " paper " + p;
            for (int r = 0; r <= p % 2; r++) {
                String repo = "owner" + p + "/repo-" + r;
                pairs.add(new TextPair("p" + p + "::" + repo, "p" + p, repo, paperText,
                        repo + "\n" + WORDS.get((p + r) % WORDS.size()) + " code for " + WORDS.get((p * 7) % WORDS.size()),
                        "test", "https://github.com/" + repo, "code of paper " + p));
            }
        }
        return pairs;
    }
}
