package dev.paper2code.cleaning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.TextPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryCleanerTest {
    private final EntryCleaner cleaner = new EntryCleaner();

    private CleanedEntry cleanOne(String json) {
        List<CleanedEntry> entries = cleaner.clean(json, "test");
        assertEquals(1, entries.size());
        return entries.get(0);
    }

    private static TextPair pair(Outcome outcome) {
        return assertInstanceOf(Outcome.Accepted.class, outcome).pair();
    }

    private static Outcome.Rejected rejected(CleanedEntry entry) {
        assertEquals(1, entry.outcomes().size());
        return assertInstanceOf(Outcome.Rejected.class, entry.outcomes().get(0));
    }

    @Test
    void makesOnePairPerRepositoryWithTitleAbstractAndNameDescriptionTopics() {
        CleanedEntry entry = cleanOne("""
                {"paper": {"arxiv_id": "1810.04805v2", "title": "  BERT:\\n Pre-training ",
                           "abstract": "Deep   bidirectional transformers."},
                 "repositories": [
                   {"name": "google-research/bert", "description": "TensorFlow code", "topics": ["nlp", " bert "]},
                   {"name": "huggingface/transformers", "description": null, "topics": []}]}
                """);

        assertEquals(2, entry.links());
        assertFalse(entry.junkTitle());
        TextPair first = pair(entry.outcomes().get(0));
        assertEquals("1810.04805", first.paperId());
        assertEquals("1810.04805::google-research/bert", first.pairId());
        assertEquals("BERT: Pre-training\nDeep bidirectional transformers.", first.paperText());
        assertEquals("google-research/bert\nTensorFlow code\ntopics: nlp, bert", first.codeText());
        assertEquals("test", first.source());
        TextPair second = pair(entry.outcomes().get(1));
        assertEquals("huggingface/transformers", second.codeText());
        assertEquals("1810.04805::huggingface/transformers", second.pairId());
    }

    @Test
    void arxivQueryEchoIsNotATitle() {
        CleanedEntry entry = cleanOne("""
                {"paper": {"arxiv_id": "2505.22954",
                           "title": "arXiv Query: search_query=&id_list=2505.22954&start=0&max_results=10",
                           "abstract": "A self-improving coding agent."},
                 "repositories": [{"name": "jennyzzt/dgm", "description": "Darwin Godel Machine"}]}
                """);

        assertTrue(entry.junkTitle());
        assertEquals("A self-improving coding agent.", pair(entry.outcomes().get(0)).paperText());
    }

    @Test
    void junkTitleWithoutAbstractIsDeadLettered() {
        Outcome.Rejected rejected = rejected(cleanOne("""
                {"paper": {"arxiv_id": "2505.1", "title": "arXiv Query: search_query=&id_list=2505.1",
                           "abstract": "   "},
                 "repositories": [{"name": "a/b"}]}
                """));

        assertEquals(RejectReason.NO_PAPER_TEXT, rejected.reason());
        assertTrue(rejected.detail().contains("arXiv query echo"), rejected.detail());
        assertTrue(rejected.payload().contains("2505.1"));
    }

    @Test
    void repositoryWithoutNameIsDeadLetteredAloneWhileItsSiblingsBecomePairs() {
        CleanedEntry entry = cleanOne("""
                {"paper": {"arxiv_id": "1", "title": "T", "abstract": "A"},
                 "repositories": [{"name": "  ", "description": "d"}, null, {"name": "x/y"}]}
                """);

        assertEquals(3, entry.outcomes().size());
        Outcome.Rejected blank = assertInstanceOf(Outcome.Rejected.class, entry.outcomes().get(0));
        assertEquals(RejectReason.MISSING_REPOSITORY_NAME, blank.reason());
        assertEquals("{\"name\":\"  \",\"description\":\"d\"}", blank.payload());
        assertEquals("test/repositories[0]", blank.source());
        assertEquals(RejectReason.MISSING_REPOSITORY_NAME,
                assertInstanceOf(Outcome.Rejected.class, entry.outcomes().get(1)).reason());
        assertEquals("1::x/y", pair(entry.outcomes().get(2)).pairId());
    }

    @Test
    void eachEntryLevelProblemHasItsOwnReason() {
        assertEquals(RejectReason.MALFORMED_JSON, rejected(cleanOne("{\"paper\": ")).reason());
        assertEquals(RejectReason.MALFORMED_JSON, rejected(cleanOne("{} trailing")).reason());
        assertEquals(RejectReason.MALFORMED_JSON, rejected(cleanOne("")).reason());
        assertEquals(RejectReason.NOT_AN_OBJECT, rejected(cleanOne("\"a string\"")).reason());
        assertEquals(RejectReason.SCHEMA_MISMATCH,
                rejected(cleanOne("{\"paper\": {\"title\": \"t\"}, \"repositories\": \"a/b\"}")).reason());
        assertEquals(RejectReason.MISSING_PAPER, rejected(cleanOne("{\"repositories\": [{\"name\": \"a/b\"}]}")).reason());
        assertEquals(RejectReason.MISSING_PAPER_ID,
                rejected(cleanOne("{\"paper\": {\"title\": \"t\"}, \"repositories\": [{\"name\": \"a/b\"}]}")).reason());
        assertEquals(RejectReason.NO_REPOSITORIES,
                rejected(cleanOne("{\"paper\": {\"arxiv_id\": \"1\", \"title\": \"t\"}, \"repositories\": []}")).reason());
        assertEquals(RejectReason.NO_REPOSITORIES,
                rejected(cleanOne("{\"paper\": {\"arxiv_id\": \"1\", \"title\": \"t\"}}")).reason());
    }

    @Test
    void malformedJsonDetailSaysWhere() {
        Outcome.Rejected rejected = rejected(cleanOne("{\n\"paper\": {,}}"));

        assertTrue(rejected.detail().contains("line 2"), rejected.detail());
        assertEquals("{\n\"paper\": {,}}", rejected.payload());
    }

    @Test
    void paperUrlStandsInForAMissingArxivId() {
        CleanedEntry entry = cleanOne("""
                {"paper": {"url": "https://openreview.net/forum?id=abc", "abstract": "A"},
                 "repositories": [{"name": "Owner/Repo"}]}
                """);

        assertEquals("https://openreview.net/forum?id=abc::owner/repo", pair(entry.outcomes().get(0)).pairId());
    }

    @Test
    void anArrayIsABatchOfEntriesWithIndexedSources() {
        List<CleanedEntry> entries = cleaner.clean("""
                [{"paper": {"arxiv_id": "1", "abstract": "A"}, "repositories": [{"name": "a/b"}]}, 42]
                """, "raw-0@7");

        assertEquals(2, entries.size());
        assertEquals("raw-0@7[0]", pair(entries.get(0).outcomes().get(0)).source());
        assertEquals(RejectReason.NOT_AN_OBJECT, rejected(entries.get(1)).reason());
        assertEquals("raw-0@7[1]", rejected(entries.get(1)).source());
    }

    // Issue 10.7: identity and fields.

    @Test
    void pairIdsOfDifferentLinksNeverCollideEvenWhenIdsContainTheSeparator() {
        String left = pair(cleanOne("""
                {"paper": {"url": "a::x", "title": "T"}, "repositories": [{"name": "y"}]}
                """).outcomes().get(0)).pairId();
        String right = pair(cleanOne("""
                {"paper": {"url": "a", "title": "T"}, "repositories": [{"name": "x::y"}]}
                """).outcomes().get(0)).pairId();

        assertTrue(!left.equals(right), left + " vs " + right);
        assertTrue(!EntryCleaner.pairId("x:", "y").equals(EntryCleaner.pairId("x", ":y")), "colons at the edges");
        assertEquals("1810.04805::google-research/bert", EntryCleaner.pairId("1810.04805", "google-research/bert"),
                "ids without ':' or '%' read as before");
    }

    @Test
    void aNumericArxivIdIsKeptAsWritten() {
        TextPair pair = pair(cleanOne("""
                {"paper": {"arxiv_id": 2104.08820, "title": "T"}, "repositories": [{"name": "a/b"}]}
                """).outcomes().get(0));

        assertEquals("2104.08820", pair.paperId());
    }

    @Test
    void oneBadOptionalFieldDoesNotRejectTheEntryOrItsSiblingRepositories() {
        CleanedEntry entry = cleanOne("""
                {"paper": {"arxiv_id": "2401.00001", "title": "T", "year": "soon"},
                 "repositories": [{"name": "a/huge", "stars": 1e20}, {"name": "a/fine", "stars": 3}]}
                """);

        assertEquals(List.of("2401.00001::a/huge", "2401.00001::a/fine"),
                entry.outcomes().stream().map(o -> pair(o).pairId()).toList());
    }

    @Test
    void aTitleOfUnicodeSpacesIsNoPaperText() {
        Outcome.Rejected rejected = rejected(cleanOne("""
                {"paper": {"arxiv_id": "2401.00002", "title": "\u00a0\u2003\u200b", "abstract": "\u3000"},
                 "repositories": [{"name": "a/b"}]}
                """));

        assertEquals(RejectReason.NO_PAPER_TEXT, rejected.reason());
    }

    @Test
    void bytesThatAreNotUtf8AreRejectedWithTheBytesThemselves() {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0, 1};
        Outcome.Rejected rejected = rejected(cleaner.clean(bytes, "raw-0@1").get(0));

        assertEquals(RejectReason.MALFORMED_UTF8, rejected.reason());
        assertTrue(java.util.Arrays.equals(bytes, rejected.bytes()));
    }

    @Test
    void aRepositoryNamePastItsBoundIsDeadLetteredAloneWhileItsSiblingBecomesAPair() {
        String longName = "a/" + "x".repeat(100_000);
        CleanedEntry entry = cleanOne("{\"paper\": {\"arxiv_id\": \"2401.1\", \"title\": \"T\"},"
                + " \"repositories\": [{\"name\": \"" + longName + "\"}, {\"name\": \"ok/repo\"}]}");

        assertEquals(2, entry.outcomes().size());
        Outcome.Rejected rejected = assertInstanceOf(Outcome.Rejected.class, entry.outcomes().get(0));
        assertEquals(RejectReason.FIELD_TOO_LONG, rejected.reason());
        assertTrue(rejected.detail().contains("name is 100002 characters, more than the 512 accepted"),
                rejected.detail());
        assertTrue(rejected.detail().length() < 300, "the detail abbreviates the name");
        assertEquals("ok/repo", pair(entry.outcomes().get(1)).repository());
    }

    @Test
    void paperFieldsAndRepositoryFieldsPastTheirBoundsEachHaveTheirReason() {
        Outcome.Rejected abstractTooLong = rejected(cleanOne("{\"paper\": {\"arxiv_id\": \"2401.2\", \"abstract\": \""
                + "w ".repeat(15_000) + "\"}, \"repositories\": [{\"name\": \"a/b\"}]}"));
        assertEquals(RejectReason.FIELD_TOO_LONG, abstractTooLong.reason());
        assertTrue(abstractTooLong.detail().contains("abstract is"), abstractTooLong.detail());

        for (String field : List.of("\"description\": \"" + "d".repeat(10_001) + "\"",
                "\"url\": \"https://github.com/" + "u".repeat(3_000) + "\"",
                "\"topics\": [\"" + "t".repeat(201) + "\"]")) {
            Outcome.Rejected rejected = rejected(cleanOne("{\"paper\": {\"arxiv_id\": \"2401.3\", \"title\": \"T\"},"
                    + " \"repositories\": [{\"name\": \"a/b\", " + field + "}]}"));
            assertEquals(RejectReason.FIELD_TOO_LONG, rejected.reason(), field.substring(0, 20));
        }
    }

    @Test
    void onlyHttpAndHttpsUrlsAreAccepted() {
        for (String url : List.of("javascript:fetch('/runs',{method:'POST'})", "JavaScript:alert(1)",
                "data:text/html,<script>alert(1)</script>", "//evil.example/x", "github.com/a/b", "https://")) {
            Outcome.Rejected rejected = rejected(cleanOne("{\"paper\": {\"arxiv_id\": \"2401.4\", \"title\": \"T\"},"
                    + " \"repositories\": [{\"name\": \"a/b\", \"url\": " + json(url) + "}]}"));
            assertEquals(RejectReason.INVALID_URL, rejected.reason(), url);
        }
        for (String url : List.of("https://github.com/a/b", "HTTP://gitlab.com/a/b")) {
            TextPair accepted = pair(cleanOne("{\"paper\": {\"arxiv_id\": \"2401.4\", \"title\": \"T\"},"
                    + " \"repositories\": [{\"name\": \"a/b\", \"url\": " + json(url) + "}]}").outcomes().get(0));
            assertEquals(url, accepted.repositoryUrl());
        }
    }

    @Test
    void unpairedSurrogatesAreRefusedInIdsAndNamesAndRemovedFromText() {
        CleanedEntry entry = cleanOne("{\"paper\": {\"arxiv_id\": \"9902.00007\", \"title\": \"Lone \\udc00title \\ud83d\\ude00\"},"
                + " \"repositories\": [{\"name\": \"uni/lone\\udc00name\"}, {\"name\": \"uni/lone\\udc01name\"},"
                + " {\"name\": \"uni/fine\", \"description\": \"d\\ud800x\"}]}");

        assertEquals(3, entry.outcomes().size());
        for (int i = 0; i < 2; i++) {
            Outcome.Rejected rejected = assertInstanceOf(Outcome.Rejected.class, entry.outcomes().get(i));
            assertEquals(RejectReason.INVALID_TEXT, rejected.reason());
            // Kept exactly, as a JSON escape: as UTF-8 both would read "uni/lone?name" and be one dead letter.
            assertEquals("{\"name\":\"uni/lone\\uDC0" + i + "name\"}", rejected.payload());
        }
        TextPair pair = pair(entry.outcomes().get(2));
        assertEquals("Lone title \ud83d\ude00", pair.paperText(), "a valid pair (an emoji) stays");
        assertEquals("dx", pair.repositoryDescription());
        String key = pair.pairId();
        assertEquals(key, new String(key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8), "the key round-trips byte for byte");

        Outcome.Rejected badId = rejected(cleanOne("{\"paper\": {\"arxiv_id\": \"9902.\\udc00\", \"title\": \"T\"},"
                + " \"repositories\": [{\"name\": \"a/b\"}]}"));
        assertEquals(RejectReason.INVALID_TEXT, badId.reason());
    }

    @Test
    void aKeyTwiceInOneObjectIsMalformedJsonNamingTheKey() {
        for (String[] duplicate : new String[][] {
                {"title", "{\"paper\": {\"arxiv_id\": \"1\", \"title\": \"A\", \"title\": \"B\"}, \"repositories\": [{\"name\": \"a/b\"}]}"},
                {"repositories", "{\"paper\": {\"arxiv_id\": \"1\", \"title\": \"A\"}, \"repositories\": [{\"name\": \"a/b\"}],"
                        + " \"repositories\": [{\"name\": \"c/d\"}]}"}}) {
            Outcome.Rejected rejected = rejected(cleanOne(duplicate[1]));
            assertEquals(RejectReason.MALFORMED_JSON, rejected.reason());
            assertTrue(rejected.detail().contains("'" + duplicate[0] + "'"), rejected.detail());
        }
    }

    private static String json(String value) {
        return dev.paper2code.contracts.Json.MAPPER.valueToTree(value).toString();
    }
}
