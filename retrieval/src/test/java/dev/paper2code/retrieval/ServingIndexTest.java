package dev.paper2code.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.TextPair;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.index.HnswOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingIndexTest {
    @Test
    void exactSearchRanksAsTheModelScoresAndHnswAgreesOnTheTop10(@TempDir Path dir) throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 7, "run-1", 3);
        Corpus corpus = Corpus.of(TestCorpus.pairs(40));
        String query = "contrastive retrieval with a transformer encoder";
        try (ServingIndex serving = ServingIndex.build(checkpoint, corpus, dir.resolve("index"), HnswOptions.DEFAULTS)) {
            assertEquals(corpus.repositoryCount(), serving.size());
            assertEquals("run-1", serving.checkpoint().runId());
            assertEquals(3, serving.checkpoint().epoch());

            SearchResults exact = serving.search(query, 10, SearchMethod.EXACT);
            List<String> expected = ModelRanking.of(checkpoint, corpus.repositories(), query).subList(0, 10);
            assertEquals(expected, exact.results().stream().map(SearchResults.Result::repository).toList());
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
                    exact.results().stream().map(SearchResults.Result::rank).toList());

            SearchResults hnsw = serving.search(query, 10, SearchMethod.HNSW);
            assertEquals(expected, hnsw.results().stream().map(SearchResults.Result::repository).toList());
            assertEquals("code of paper", exact.results().get(0).description().substring(0, 13));
        }
    }

    @Test
    void laterRepositoriesAreAddedWithoutARebuildAndRemovedOnesLeave(@TempDir Path dir) throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 7, "run-1", 1);
        Corpus corpus = Corpus.of(TestCorpus.pairs(10));
        try (ServingIndex serving = ServingIndex.build(checkpoint, corpus, dir.resolve("index"), HnswOptions.DEFAULTS)) {
            int before = serving.size();
            TextPair late = new TextPair("late::late/repo", "late", "late/repo", "router experts",
                    "late/repo\nrouter kernels for mixtures of experts", "test", null, null);
            serving.apply(corpus.apply(late.pairId(), late));
            assertEquals(before + 1, serving.size());
            SearchResults results = serving.search("router kernels for mixtures of experts", serving.size(),
                    SearchMethod.EXACT);
            assertTrue(results.results().stream().anyMatch(r -> r.repository().equals("late/repo")));
            // The late upsert wrote a segment of its own; merged, a query searches one graph and still finds it.
            assertEquals(2, serving.mergeIntoOneGraph());
            assertEquals(1, serving.mergeIntoOneGraph(), "one graph now: nothing to merge");
            assertEquals("late/repo", serving.search("router kernels for mixtures of experts", serving.size(),
                    SearchMethod.HNSW).results().stream().map(SearchResults.Result::repository)
                    .filter("late/repo"::equals).findFirst().orElseThrow());

            serving.apply(corpus.apply(late.pairId(), null));
            assertEquals(before, serving.size());
            assertTrue(serving.searchPaper(corpus, "late", 5, SearchMethod.EXACT).isEmpty());
            assertEquals(5, serving.searchPaper(corpus, "p3", 5, SearchMethod.HNSW).orElseThrow().results().size());
        }
    }

    @Test
    void aLongQueryIsTruncatedAndSaysSo(@TempDir Path dir) throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 7, "run-1", 1);
        try (ServingIndex serving = ServingIndex.build(checkpoint, Corpus.of(TestCorpus.pairs(5)), dir.resolve("index"),
                HnswOptions.DEFAULTS)) {
            SearchResults results = serving.search("contrastive retrieval ".repeat(200), 3, SearchMethod.HNSW);
            assertTrue(results.queryTruncated());
            assertEquals(TestCheckpoints.MAX_LENGTH, results.queryTokens());
            assertEquals(TestCheckpoints.MAX_LENGTH, results.checkpoint().maxLength());
        }
    }

    @Test
    void aCheckpointThatFailsItsChecksumsIsRefused(@TempDir Path dir) throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 7, "run-1", 1);
        Path weights = checkpoint.resolve("code_encoder/model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        IOException refused = assertThrows(IOException.class,
                () -> ServingIndex.build(checkpoint, Corpus.of(TestCorpus.pairs(5)), dir.resolve("index"), HnswOptions.DEFAULTS));
        assertTrue(refused.getMessage().contains("code_encoder/model.safetensors does not match its checksum"),
                refused.getMessage());
    }

    @Test
    void evaluationRanksEveryRepositoryForEachPaper(@TempDir Path dir) throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 7, "run-1", 1);
        Corpus corpus = Corpus.of(TestCorpus.pairs(20));
        try (ServingIndex serving = ServingIndex.build(checkpoint, corpus, dir.resolve("index"), HnswOptions.DEFAULTS)) {
            Map<String, Double> metrics = serving.evaluate(corpus, List.of("p1", "p2", "p3", "missing"));
            assertEquals(3.0, metrics.get("queries"));
            assertTrue(metrics.get("recall@10") >= metrics.get("recall@1"));
        }
    }

    /**
     * The comparison ranks the same papers with every system. The test checkpoint's two towers start
     * from the same weights, so its paper encoder as a plain Hugging Face directory (the zero-shot start)
     * must rank exactly as the "trained" model does; BM25 and hybrid come beside them.
     */
    @Test
    void theComparisonRanksTheSamePapersWithTheTrainedModelBm25HybridAndTheStartModel(@TempDir Path dir) throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 7, "run-1", 1);
        Path start = Files.createDirectories(dir.resolve("start-model"));
        for (Path part : List.of(checkpoint.resolve("paper_encoder"), checkpoint.resolve("tokenizer"))) {
            try (var files = Files.list(part)) {
                for (Path file : files.toList()) {
                    Files.copy(file, start.resolve(file.getFileName()));
                }
            }
        }
        Corpus corpus = Corpus.of(TestCorpus.pairs(20));
        List<String> papers = List.of("p1", "p2", "p3", "p4", "p5", "p6");
        try (ServingIndex serving = ServingIndex.build(checkpoint, corpus, dir.resolve("index"), HnswOptions.DEFAULTS);
             ZeroShotBaseline zeroShot = ZeroShotBaseline.open(start, TestCheckpoints.MAX_LENGTH)) {
            Map<String, Map<String, Double>> systems = serving.compare(corpus, papers, zeroShot);

            assertEquals(List.of("trained", "bm25", "hybrid", "zero-shot"), List.copyOf(systems.keySet()));
            assertEquals(systems.get("trained"), systems.get("zero-shot"));
            for (Map<String, Double> metrics : systems.values()) {
                assertEquals(6.0, metrics.get("queries"));
            }
            assertEquals(systems.get("trained"), serving.evaluate(corpus, papers));
        }
    }
}
