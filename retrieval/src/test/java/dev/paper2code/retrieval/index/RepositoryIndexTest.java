package dev.paper2code.retrieval.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.retrieval.Vectors;
import dev.paper2code.retrieval.corpus.CodeDocument;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryIndexTest {
    private static CodeDocument document(String key, String text) {
        return new CodeDocument(key, key, null, null, key + "\n" + text);
    }

    private static float[] unit(int dimension, int hot) {
        float[] vector = new float[dimension];
        vector[hot] = 1f;
        return vector;
    }

    /** An index of {@code documents}, each with a vector of its own (for tests of keyword search). */
    private static RepositoryIndex keywordIndex(Path dir, List<CodeDocument> documents) throws IOException {
        float[][] vectors = new float[documents.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = unit(documents.size(), i);
        }
        RepositoryIndex index = RepositoryIndex.create(dir, HnswOptions.DEFAULTS);
        index.upsert(documents, vectors);
        return index;
    }

    @Test
    void aKeyPastLucenesTermLimitAndARefusedVectorDoNotFailTheOtherDocuments(@TempDir Path dir) throws IOException {
        String immense = "a/" + "x".repeat(100_000);
        CodeDocument huge = document(immense, "immense name");
        CodeDocument broken = document("nan/vector", "not finite");
        CodeDocument fine = document("fine/repo", "ordinary");
        float[] nan = unit(4, 1);
        nan[2] = Float.NaN;
        try (RepositoryIndex index = RepositoryIndex.create(dir, HnswOptions.DEFAULTS)) {
            index.upsert(List.of(huge, broken, fine), new float[][] {unit(4, 0), nan, unit(4, 3)});
            index.commit();

            assertEquals(2, index.size());
            assertEquals(List.of("nan/vector"), List.copyOf(index.skipped().keySet()));
            assertTrue(index.skipped().get("nan/vector").contains("finite"), index.skipped().toString());
            assertEquals(immense, index.searchHnsw(unit(4, 0), 1).get(0).document().key());
            assertEquals("fine/repo", index.searchHnsw(unit(4, 3), 1).get(0).document().key());
            assertEquals(immense, index.searchBm25("immense", 1).get(0).document().key());

            index.upsert(List.of(broken), new float[][] {unit(4, 2)});
            assertTrue(index.skipped().isEmpty(), "a later good version replaces the refusal");
            index.remove(List.of(immense));
            assertEquals(2, index.size());
            assertTrue(index.searchBm25("immense", 5).isEmpty());
        }
    }

    @Test
    void aLargeUpsertIsAddedFromSeveralThreadsAndLosesNothing(@TempDir Path dir) throws IOException {
        int count = 2 * RepositoryIndex.PARALLEL_FROM + 7;
        Random random = new Random(7);
        List<CodeDocument> documents = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            documents.add(document("r/" + i, "repository number " + i));
            float[] v = new float[8];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
            vectors.add(Vectors.unit(v));
        }
        // A key given twice: the later version counts, wherever the slices are cut.
        documents.add(document("r/3", "the newer text of three"));
        vectors.add(unit(8, 5));
        float[] nan = unit(8, 1);
        nan[0] = Float.NaN;
        documents.add(document("nan/vector", "refused"));
        vectors.add(nan);
        try (RepositoryIndex parallel = RepositoryIndex.create(dir.resolve("parallel"), HnswOptions.DEFAULTS.withBuildThreads(2));
             RepositoryIndex serial = RepositoryIndex.create(dir.resolve("serial"), HnswOptions.DEFAULTS.withBuildThreads(1))) {
            float[][] rows = vectors.toArray(float[][]::new);
            parallel.upsert(documents, rows);
            serial.upsert(documents, rows);

            assertEquals(count, parallel.size());
            assertEquals(Set.of("nan/vector"), parallel.skipped().keySet());
            // Concurrent additions go to separate in-memory segments (at most one per thread); which
            // segment a document lands in is Lucene's choice, so only the bound is certain.
            assertTrue(parallel.segmentCount() <= 2, "segments: " + parallel.segmentCount());
            assertEquals(1, serial.segmentCount());
            assertTrue(parallel.contains(document("r/3", "the newer text of three")));
            assertEquals("r/3", parallel.searchHnsw(unit(8, 5), 1).get(0).document().key());
            assertEquals(1, parallel.searchBm25("newer", 5).size());
            for (int q = 0; q < 20; q++) {
                float[] query = rows[q * 97];
                assertEquals(serial.searchExact(query, 10), parallel.searchExact(query, 10));
                assertEquals(parallel.searchExact(query, 1).get(0).document().key(),
                        parallel.searchHnsw(query, 1).get(0).document().key());
            }

            // Merged into one graph (on the index's merge workers): one segment, nothing lost, every
            // document still its own nearest neighbour, at the default width and at a narrow one.
            parallel.mergeIntoOneGraph();
            assertEquals(1, parallel.segmentCount());
            assertEquals(count, parallel.size());
            assertEquals(1, parallel.searchBm25("newer", 5).size());
            for (int q = 0; q < 20; q++) {
                float[] query = rows[q * 97 + 1];
                String self = parallel.searchExact(query, 1).get(0).document().key();
                assertEquals(self, parallel.searchHnsw(query, 1).get(0).document().key());
                assertEquals(self, parallel.searchHnsw(query, 1, 20).get(0).document().key());
            }
        }
    }

    @Test
    void bm25RanksByKeywordsOverLowerCasedWordTokens(@TempDir Path dir) throws IOException {
        List<CodeDocument> documents = List.of(
                document("princeton-nlp/SimCSE", "Simple contrastive learning of sentence embeddings"),
                document("facebookresearch/dpr", "Dense passage retrieval for open domain question answering"),
                document("google/bert", "TensorFlow code and pre-trained models for BERT"));
        try (RepositoryIndex index = keywordIndex(dir, documents)) {

            List<RepositoryIndex.Hit> hits = index.searchBm25("SimCSE: contrastive SENTENCE embeddings", 3);
            assertEquals("princeton-nlp/SimCSE", hits.get(0).document().key());
            assertEquals(1, hits.size(), "documents without a query word are not returned");
            assertEquals("facebookresearch/dpr", index.searchBm25("dense retrieval of passages", 1).get(0).document().key());
            assertTrue(index.searchBm25("  ...  ", 3).isEmpty(), "a query without a word finds nothing");
            assertEquals(2, index.searchBm25("retrieval bert", 3).size());
        }
    }

    @Test
    void aWordTheQueryRepeatsCountsOnce(@TempDir Path dir) throws IOException {
        // "code" is in two of three descriptions, "retrieval" in one: the rare word decides, however often
        // the query repeats the common one (with a clause per occurrence, "code" x 12 won).
        List<CodeDocument> documents = List.of(
                document("a/dpr", "Dense passage retrieval"),
                document("b/tools", "Tools: code to train code on a cluster, code everywhere"),
                document("c/bert", "Code for BERT"));
        try (RepositoryIndex index = keywordIndex(dir, documents)) {

            String query = "code ".repeat(12) + "retrieval";
            assertEquals("a/dpr", index.searchBm25(query, 3).get(0).document().key());
        }
    }

    @Test
    void identifiersMatchTheirPartsAndStopWordsMatchNothing(@TempDir Path dir) throws IOException {
        List<CodeDocument> documents = List.of(
                document("0nutation/SpeechGPT", "SpeechGPT Series: Speech Large Language Models"),
                document("facebookresearch/detectron2", "Detectron2 is a platform for object detection"),
                document("google/bert", "TensorFlow code and pre-trained models for BERT"));
        try (RepositoryIndex index = keywordIndex(dir, documents)) {

            // The paper spells the identifier apart, or whole: both find it.
            assertEquals(List.of("0nutation/SpeechGPT"), keys(index.searchBm25("a GPT that listens", 3)));
            assertEquals(List.of("0nutation/SpeechGPT"), keys(index.searchBm25("we present speechgpt", 3)));
            assertEquals("facebookresearch/detectron2", index.searchBm25("the Detectron framework", 3).get(0).document().key());
            assertEquals(List.of("google/bert"), keys(index.searchBm25("TensorFlow", 3)), "only the repository with the word");
            assertTrue(index.searchBm25("the is of and for a", 3).isEmpty(), "stop words are not terms");
        }
        // The plain tokens (the baseline) keep the identifier whole.
        try (var plain = Bm25.analyzer(Bm25.Tokens.PLAIN); var identifiers = Bm25.analyzer(Bm25.Tokens.IDENTIFIERS)) {
            assertEquals(Set.of("text:speechgpt"), clauses(Bm25.query(plain, "text", "SpeechGPT")));
            assertEquals(Set.of("text:speechgpt", "text:speech", "text:gpt"), clauses(Bm25.query(identifiers, "text", "SpeechGPT")));
            assertEquals(Set.of("text:the", "text:model"), clauses(Bm25.query(plain, "text", "the model")));
            assertEquals(Set.of("text:model"), clauses(Bm25.query(identifiers, "text", "the model")));
        }
    }

    /**
     * The identifier analyzer (word parts stacked on their word, flattened for the index) on hostile
     * text: mixed case and digits at every boundary, surrogate pairs, combining marks, zero-width
     * spaces, 1,200-character words past CharTokenizer's 255-character limit, one text of about 480,000
     * characters. Every document is indexed (none skipped), each is the only hit for its tag (a
     * lower-case word only it has), and its whole text, as a query, answers and finds it.
     */
    @Test
    void hostileTextsAreIndexedAndFindThemselves(@TempDir Path dir) throws IOException {
        Random random = new Random(24);
        String[] pieces = {"a", "Z", "9", "\u00e9", "\u0301", "\ud83d\ude00", "\u4e2d", "-", "_", ".", " ", "\t", "\u200b",
                "GPT", "v2", "XMLHttp", "\u0130", "\u00df", "0x", "'s"};
        List<CodeDocument> documents = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // No piece holds a "q", so no other text makes this word.
            StringBuilder text = new StringBuilder(tag(i)).append(' ');
            if (i % 7 == 3) {
                text.append("aB1".repeat(400)).append(' ');
            }
            int length = i == 0 ? 300_000 : i % 10 == 1 ? 600 : 1 + random.nextInt(60);
            for (int j = 0; j < length; j++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            documents.add(new CodeDocument("fuzz/" + i, "fuzz/" + i, null, null, text.toString()));
        }
        try (RepositoryIndex index = keywordIndex(dir, documents)) {
            index.commit();

            assertEquals(documents.size(), index.size(), index.skipped().toString());
            for (int i = 0; i < documents.size(); i++) {
                CodeDocument document = documents.get(i);
                assertEquals(List.of(document.key()), keys(index.searchBm25(tag(i), 5)));
                assertTrue(keys(index.searchBm25(document.codeText(), documents.size())).contains(document.key()),
                        document.key() + " is not found by its own text");
            }
        }
    }

    private static String tag(int i) {
        return "zq" + (char) ('a' + i / 26) + (char) ('a' + i % 26);
    }

    private static List<String> keys(List<RepositoryIndex.Hit> hits) {
        return hits.stream().map(hit -> hit.document().key()).toList();
    }

    private static Set<String> clauses(Query query) {
        Set<String> terms = new HashSet<>();
        for (var clause : ((BooleanQuery) query).clauses()) {
            terms.add(clause.getQuery().toString());
        }
        return terms;
    }
}
