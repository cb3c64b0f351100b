package dev.paper2code.retrieval;

import dev.paper2code.retrieval.corpus.CodeDocument;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.corpus.CorpusPaper;
import dev.paper2code.retrieval.encoding.CheckpointEncoders;
import dev.paper2code.retrieval.encoding.CheckpointInfo;
import dev.paper2code.retrieval.evaluation.CodeSearchMetrics;
import dev.paper2code.retrieval.index.HnswOptions;
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
    private final CheckpointEncoders encoders;
    private final RepositoryIndex index;

    private ServingIndex(CheckpointEncoders encoders, RepositoryIndex index) {
        this.encoders = encoders;
        this.index = index;
    }

    /** How a query is answered: the HNSW graph, or every vector scored. */
    public enum Method {
        HNSW, EXACT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
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

    /** The top {@code k} repositories for a paper's text. */
    public SearchResults search(String text, int k, Method method) throws IOException {
        CheckpointEncoders.Query query = encoders.embedQuery(text);
        List<RepositoryIndex.Hit> hits = method == Method.EXACT ? index.searchExact(query.vector(), k)
                : index.searchHnsw(query.vector(), k);
        List<SearchResults.Result> results = new ArrayList<>(hits.size());
        for (RepositoryIndex.Hit hit : hits) {
            CodeDocument document = hit.document();
            results.add(new SearchResults.Result(results.size() + 1, hit.score(), document.name(), document.url(),
                    document.description()));
        }
        return new SearchResults(List.copyOf(results), query.truncated(), query.tokens(), method.label(),
                encoders.info());
    }

    /** The top {@code k} for a paper of the corpus, queried by its text; empty when the corpus has no such paper. */
    public Optional<SearchResults> searchPaper(Corpus corpus, String paperId, int k, Method method) throws IOException {
        Optional<CorpusPaper> paper = corpus.paper(paperId);
        return paper.isEmpty() ? Optional.empty() : Optional.of(search(paper.get().text(), k, method));
    }

    /**
     * Code-search evaluation ({@link CodeSearchMetrics}): each of {@code paperIds} that the corpus holds
     * is a query against every repository, by exact search (the true ranking, whatever the index's recall).
     */
    public Map<String, Double> evaluate(Corpus corpus, Collection<String> paperIds) {
        List<CorpusPaper> papers = paperIds.stream().distinct().sorted().map(corpus::paper)
                .flatMap(Optional::stream).toList();
        float[][] queries = encoders.embedPapers(papers.stream().map(CorpusPaper::text).toList());
        List<CodeSearchMetrics.Ranked> rankings = new ArrayList<>(papers.size());
        for (int i = 0; i < papers.size(); i++) {
            List<String> top = index.searchExact(queries[i], CodeSearchMetrics.CUTOFF).stream()
                    .map(hit -> hit.document().key()).toList();
            rankings.add(new CodeSearchMetrics.Ranked(top, papers.get(i).repositoryKeys()));
        }
        return CodeSearchMetrics.compute(rankings);
    }

    /** Closes the model and the index; the index directory stays (its owner deletes it). */
    @Override
    public void close() throws IOException {
        try (encoders) {
            index.close();
        }
    }
}
