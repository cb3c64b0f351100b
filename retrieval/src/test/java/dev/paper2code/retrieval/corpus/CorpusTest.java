package dev.paper2code.retrieval.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.TextPair;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorpusTest {
    private static TextPair pair(String paper, String repo, String code) {
        return new TextPair(paper + "::" + repo.toLowerCase(), paper, repo, "text of " + paper, code, "test",
                "https://github.com/" + repo, "about " + repo);
    }

    @Test
    void aRepositoryLinkedTwiceIsOneDocumentAndAPaperKnowsAllItsRepositories() {
        Corpus corpus = new Corpus();
        Corpus.Change first = corpus.apply("p1::a/x", pair("p1", "a/X", "code x"));
        Corpus.Change second = corpus.apply("p2::a/x", pair("p2", "a/x", "code x"));
        corpus.apply("p1::b/y", pair("p1", "b/y", "code y"));

        assertEquals(List.of("a/x"), first.upserted().stream().map(CodeDocument::key).toList());
        assertEquals(List.of("a/x", "b/y"), corpus.repositories().stream().map(CodeDocument::key).toList());
        assertEquals(Set.of("a/x", "b/y"), corpus.paper("p1").orElseThrow().repositoryKeys());
        assertEquals("text of p2", corpus.paper("p2").orElseThrow().text());
        assertEquals("https://github.com/a/X", corpus.repository("a/x").orElseThrow().url());
        // The second pair's repository texts come from the first pair (smallest pair id): no change to index.
        assertTrue(second.isEmpty(), second.toString());
    }

    @Test
    void aChangedTextIsAnUpsertAndTheLastTombstoneRemovesTheRepository() {
        Corpus corpus = new Corpus();
        corpus.apply("p1::a/x", pair("p1", "a/x", "old"));
        corpus.apply("p2::a/x", pair("p2", "a/x", "old"));

        Corpus.Change changed = corpus.apply("p1::a/x", pair("p1", "a/x", "new"));
        assertEquals("new", changed.upserted().get(0).codeText());

        Corpus.Change firstGone = corpus.apply("p1::a/x", null);
        assertEquals("old", firstGone.upserted().get(0).codeText(), "the remaining pair's text now speaks for it");
        assertTrue(corpus.paper("p1").isEmpty());

        Corpus.Change lastGone = corpus.apply("p2::a/x", null);
        assertEquals(List.of("a/x"), lastGone.removedKeys());
        assertEquals(0, corpus.repositoryCount());
        assertTrue(corpus.apply("never::seen", null).isEmpty());
    }

    /**
     * Issue 20.3: an unrelated paper that links princeton-nlp/SimCSE with a URL of its own made that URL
     * the one search showed (the smallest pair id won). The pair whose URL is the repository's own
     * address speaks for it, whatever its id; a URL elsewhere is never shown.
     */
    @Test
    void aLateOrHostileEntryCannotReplaceARepositorysUrlOrDescriptionByItsPairId() {
        Corpus corpus = new Corpus();
        TextPair genuine = new TextPair("2104.08821::princeton-nlp/simcse", "2104.08821", "princeton-nlp/SimCSE",
                "SimCSE", "princeton-nlp/SimCSE\nSimCSE code", "test", "https://github.com/princeton-nlp/SimCSE", "the real one");
        TextPair hostile = new TextPair("0000.00001::princeton-nlp/simcse", "0000.00001", "princeton-nlp/SimCSE",
                "unrelated", "princeton-nlp/SimCSE\nfree prizes", "test", "https://evil.example/prize", "click here");
        corpus.apply(genuine.pairId(), genuine);
        Corpus.Change change = corpus.apply(hostile.pairId(), hostile);

        assertTrue(change.isEmpty(), "the hostile pair changed the repository: " + change);
        CodeDocument simcse = corpus.repository("princeton-nlp/simcse").orElseThrow();
        assertEquals("https://github.com/princeton-nlp/SimCSE", simcse.url());
        assertEquals("the real one", simcse.description());
        assertEquals(Set.of("princeton-nlp/simcse"), corpus.paper("0000.00001").orElseThrow().repositoryKeys(),
                "the hostile paper still links it (its pair is a training pair like any other)");

        // Alone, a pair with a foreign URL still describes its repository, but its URL is not shown.
        corpus.apply(genuine.pairId(), null);
        assertEquals(null, corpus.repository("princeton-nlp/simcse").orElseThrow().url());
        assertTrue(Corpus.urlMatchesName("https://GitHub.com/Princeton-NLP/SimCSE.git/", "princeton-nlp/SimCSE"));
        assertTrue(!Corpus.urlMatchesName("https://github.com/princeton-nlp/SimCSE-fork", "princeton-nlp/SimCSE"));
    }
}
