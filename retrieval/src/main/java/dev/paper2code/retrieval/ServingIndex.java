package dev.paper2code.retrieval;

import dev.paper2code.retrieval.corpus.CodeDocument;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.corpus.CorpusPaper;
import dev.paper2code.retrieval.encoding.CheckpointEncoders;
import dev.paper2code.retrieval.encoding.CheckpointInfo;
import dev.paper2code.retrieval.evaluation.CodeSearchMetrics;
import dev.paper2code.retrieval.index.HnswOptions;
import dev.paper2code.retrieval.index.RankFusion;
import dev.paper2code.retrieval.index.RepositoryIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One trained checkpoint serving search: its encoders and the index of every repository of the corpus
 * embedded by its code encoder. Built whole into a directory of its own ({@link #build}), then kept
 * current with the corpus ({@link #apply}, {@link #syncWith}). Queries are embedded by the paper encoder.
 */
public final class ServingIndex implements AutoCloseable {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ServingIndex.class.getName());
    private final CheckpointEncoders encoders;
    private final RepositoryIndex index;

    private ServingIndex(CheckpointEncoders encoders, RepositoryIndex index) {
        this.encoders = encoders;
        this.index = index;
    }

    /**
     * Opens the checkpoint (refusing one that fails its checksums), embeds every repository of
     * {@code corpus} and writes the index into {@code directory}.
     */
    public static ServingIndex build(Path checkpoint, Corpus corpus, Path directory, HnswOptions options)
            throws IOException {
        CheckpointEncoders encoders = CheckpointEncoders.open(checkpoint);
        try {
            RepositoryIndex index = RepositoryIndex.create(directory, options);
            ServingIndex serving = new ServingIndex(encoders, index);
            try {
                serving.syncWith(corpus);
                index.commit();
                return serving;
            } catch (IOException | RuntimeException e) {
                index.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            encoders.close();
            throw e;
        }
    }

    public CheckpointInfo checkpoint() {
        return encoders.info();
    }

    public Path directory() {
        return index.path();
    }

    public int size() {
        return index.size();
    }

    /** Embeds what {@code change} added or changed and drops what it removed. */
    public void apply(Corpus.Change change) throws IOException {
        if (!change.upserted().isEmpty()) {
            upsert(change.upserted());
        }
        if (!change.removedKeys().isEmpty()) {
            index.remove(change.removedKeys());
        }
    }

    /** Brings the index to exactly the corpus's repositories: embeds the new or changed ones, drops the rest. */
    public void syncWith(Corpus corpus) throws IOException {
        List<CodeDocument> documents = corpus.repositories();
        Set<String> keys = new HashSet<>();
        List<CodeDocument> changed = new ArrayList<>();
        for (CodeDocument document : documents) {
            keys.add(document.key());
            if (!index.contains(document)) {
                changed.add(document);
            }
        }
        if (!changed.isEmpty()) {
            upsert(changed);
        }
        List<String> gone = index.keys().stream().filter(key -> !keys.contains(key)).toList();
        if (!gone.isEmpty()) {
            index.remove(gone);
        }
    }

    private void upsert(List<CodeDocument> documents) throws IOException {
        float[][] vectors = encoders.embedCode(documents.stream().map(CodeDocument::codeText).toList());
        index.upsert(documents, vectors);
    }

    /**
     * Merges the index's graphs (a segment per build thread or late upsert) into one while it serves, and
     * commits; returns how many there were (1: none merged), or -1 on a failure (logged; an interrupt kept).
     */
    public int mergeIntoOneGraph() {
        long start = System.nanoTime();
        try {
            int graphs = index.segmentCount();
            if (graphs > 1) {
                index.mergeIntoOneGraph();
                index.commit();
                LOG.info("Search index: " + graphs + " graphs merged into one in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            return graphs;
        } catch (IOException | RuntimeException e) {
            LOG.warning("Search index not merged into one graph (it serves as built): " + e);
            if (e instanceof org.apache.lucene.util.ThreadInterruptedException) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }
    }

    /** Repositories the index refused (see {@link RepositoryIndex#skipped}), by key, with the reason. */
    public Map<String, String> skipped() {
        return index.skipped();
    }

    /**
     * The top {@code k} repositories for a paper's text. Scores: cosine for {@code hnsw} and {@code exact},
     * BM25 for {@code bm25}, the mean of the two standardised scores for {@code hybrid}.
     */
    public SearchResults search(String text, int k, SearchMethod method) throws IOException {
        if (method == SearchMethod.BM25) {
            return answer(index.searchBm25(text, k), false, 0, method);
        }
        CheckpointEncoders.Query query = encoders.embedQuery(text);
        List<RepositoryIndex.Hit> hits = switch (method) {
            case EXACT -> index.searchExact(query.vector(), k);
            case HYBRID -> hybrid(query.vector(), text, k);
            default -> index.searchHnsw(query.vector(), k);
        };
        return answer(hits, query.truncated(), query.tokens(), method);
    }

    private SearchResults answer(List<RepositoryIndex.Hit> hits, boolean truncated, int tokens, SearchMethod method) {
        List<SearchResults.Result> results = new ArrayList<>(hits.size());
        for (RepositoryIndex.Hit hit : hits) {
            results.add(new SearchResults.Result(results.size() + 1, hit.score(), hit.document().name(), hit.document().url(),
                    hit.document().description()));
        }
        return new SearchResults(List.copyOf(results), truncated, tokens, method.label(), encoders.info());
    }

    private List<RepositoryIndex.Hit> hybrid(float[] vector, String text, int k) throws IOException {
        int depth = Math.max(k, RankFusion.DEPTH);
        List<RepositoryIndex.Hit> fused = RankFusion.fuseHits(index.searchExact(vector, depth), index.searchBm25(text, depth), depth);
        return fused.subList(0, Math.min(k, fused.size()));
    }

    private static List<String> keys(List<RepositoryIndex.Hit> hits) {
        return hits.stream().map(hit -> hit.document().key()).toList();
    }

    /** The top {@code k} for a paper of the corpus, queried by its text; empty when the corpus has no such paper. */
    public Optional<SearchResults> searchPaper(Corpus corpus, String paperId, int k, SearchMethod method) throws IOException {
        Optional<CorpusPaper> paper = corpus.paper(paperId);
        return paper.isEmpty() ? Optional.empty() : Optional.of(search(paper.get().text(), k, method));
    }

    /** The comparison's name for the served model's own ranking (exact dense search). */
    public static final String TRAINED = "trained";
    /** The comparison's name for the start model before training ({@link ZeroShotBaseline}). */
    public static final String ZERO_SHOT = "zero-shot";

    /**
     * Code-search evaluation ({@link CodeSearchMetrics}): each of {@code paperIds} that the corpus holds
     * is a query against every repository, by exact search (the true ranking, whatever the index's recall).
     */
    public Map<String, Double> evaluate(Corpus corpus, Collection<String> paperIds) {
        return compare(corpus, paperIds, null).get(TRAINED);
    }

    /**
     * The same evaluation for the trained model ({@code trained}, exact search), the keyword baseline
     * ({@code bm25}), both fused ({@code hybrid}) and, when given, the start model before training
     * ({@code zero-shot}), on the same papers and the same corpus: what training bought, in one table.
     */
    public Map<String, Map<String, Double>> compare(Corpus corpus, Collection<String> paperIds, ZeroShotBaseline zeroShot) {
        Map<String, Map<String, Double>> metrics = new java.util.LinkedHashMap<>();
        rankings(corpus, paperIds, zeroShot).forEach((system, ranked) -> metrics.put(system, CodeSearchMetrics.compute(ranked)));
        return metrics;
    }

    /** Each system's ranking of each paper (papers in id order in every system), for {@link #compare} and paired statistics. */
    public Map<String, List<CodeSearchMetrics.Ranked>> rankings(Corpus corpus, Collection<String> paperIds,
                                                              ZeroShotBaseline zeroShot) {
        List<CorpusPaper> papers = paperIds.stream().distinct().sorted().map(corpus::paper)
                .flatMap(Optional::stream).toList();
        float[][] queries = encoders.embedPapers(papers.stream().map(CorpusPaper::text).toList());
        List<List<String>> startModel = null;
        if (zeroShot != null) {
            try {
                startModel = zeroShot.rank(corpus, papers, RankFusion.DEPTH);
            } catch (RuntimeException e) {
                // The start model is a baseline: without it the other rows still come.
                LOG.warning(() -> "No zero-shot row: the start model " + zeroShot.modelDirectory() + " failed: " + e);
            }
        }
        Map<String, List<CodeSearchMetrics.Ranked>> rankings = new java.util.LinkedHashMap<>();
        for (String system : startModel == null ? List.of(TRAINED, SearchMethod.BM25.label(), SearchMethod.HYBRID.label())
                : List.of(TRAINED, SearchMethod.BM25.label(), SearchMethod.HYBRID.label(), ZERO_SHOT)) {
            rankings.put(system, new ArrayList<>());
        }
        for (int i = 0; i < papers.size(); i++) {
            Set<String> relevant = papers.get(i).repositoryKeys();
            List<RepositoryIndex.Hit> denseHits = index.searchExact(queries[i], RankFusion.DEPTH);
            List<RepositoryIndex.Hit> keywordHits;
            try {
                keywordHits = index.searchBm25(papers.get(i).text(), RankFusion.DEPTH);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            rankings.get(TRAINED).add(new CodeSearchMetrics.Ranked(keys(denseHits), relevant));
            rankings.get(SearchMethod.BM25.label()).add(new CodeSearchMetrics.Ranked(keys(keywordHits), relevant));
            rankings.get(SearchMethod.HYBRID.label()).add(new CodeSearchMetrics.Ranked(
                    keys(RankFusion.fuseHits(denseHits, keywordHits, RankFusion.DEPTH)), relevant));
            if (startModel != null) {
                rankings.get(ZERO_SHOT).add(new CodeSearchMetrics.Ranked(startModel.get(i), relevant));
            }
        }
        return rankings;
    }

    /** Closes the model and the index; the index directory stays (its owner deletes it). */
    @Override
    public void close() throws IOException {
        try (encoders) {
            index.close();
        }
    }
}
