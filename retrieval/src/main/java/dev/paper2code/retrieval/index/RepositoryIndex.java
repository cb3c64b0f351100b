package dev.paper2code.retrieval.index;

import dev.paper2code.retrieval.Vectors;
import dev.paper2code.retrieval.corpus.CodeDocument;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The repositories' code embeddings in a Lucene index of its own directory: one document per repository
 * (its key as a term, its unit-length vector in an HNSW graph, its code text for BM25), written once by a
 * build and then kept current by {@link #upsert} and {@link #remove}. A document Lucene refuses (a
 * vector that is not finite, say) is skipped, counted and logged, never fails the build: one record
 * must not take search down ({@link #skipped}). Vectors are L2-normalized, so Lucene's dot-product
 * similarity is the cosine; scores come back as the cosine itself. The same vectors also stay in memory
 * for {@link #searchExact} (brute force: the reference for small corpora and for tests).
 */
public final class RepositoryIndex implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RepositoryIndex.class.getName());

    private final Path path;
    private final Directory directory;
    private final IndexWriting writing;
    private final SearcherManager searchers;
    private final HnswOptions options;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, String> skipped = new ConcurrentHashMap<>();
    private final Analyzer analyzer = Bm25.analyzer(Bm25.Tokens.IDENTIFIERS);

    /** A repository and its cosine similarity to the query. */
    public record Hit(CodeDocument document, float score) {
    }

    private record Entry(CodeDocument document, float[] vector) {
    }

    private RepositoryIndex(Path path, HnswOptions options) throws IOException {
        this.path = path;
        this.options = options;
        this.directory = FSDirectory.open(path);
        this.writing = new IndexWriting(directory, analyzer, options, path.getFileName().toString());
        this.searchers = new SearcherManager(writing.writer, Bm25.searcherFactory());
    }

    /** A new, empty index in {@code path} (created or emptied). */
    public static RepositoryIndex create(Path path, HnswOptions options) throws IOException {
        return new RepositoryIndex(path, options);
    }

    public Path path() {
        return path;
    }

    /**
     * Adds or replaces these repositories ({@code vectors[i]} unit-length, for {@code documents.get(i)};
     * of a key given twice the last one counts). A document that Lucene refuses is left out (and out of
     * exact search too), with the reason in {@link #skipped}; the others go in. An I/O failure of the
     * index itself still throws. With {@link #PARALLEL_FROM} documents or more per thread, they are added
     * from {@link HnswOptions#buildThreads} threads: IndexWriter writes concurrent additions into separate
     * segments, whose HNSW graphs are so built side by side (queries search each, as after a flush).
     */
    public void upsert(List<CodeDocument> documents, float[][] vectors) throws IOException {
        List<Integer> order = List.copyOf(IntStream.range(0, documents.size()).boxed().collect(Collectors.toMap(
                i -> documents.get(i).key(), i -> i, (first, last) -> last, LinkedHashMap::new)).values());
        int threads = Math.max(1, Math.min(options.buildThreads(), order.size() / PARALLEL_FROM));
        ParallelSlices.run(order, threads, "index-build-" + path.getFileName(), slice -> add(documents, vectors, slice));
        searchers.maybeRefreshBlocking();
    }

    static final int PARALLEL_FROM = 2_000;

    private void add(List<CodeDocument> documents, float[][] vectors, List<Integer> indices) throws IOException {
        for (int i : indices) {
            CodeDocument document = documents.get(i);
            try {
                writing.writer.updateDocument(RepositoryFields.keyTerm(document.key()), RepositoryFields.of(document, vectors[i]));
            } catch (IllegalArgumentException refused) {
                // Lucene's non-aborting refusals (a non-finite vector, an immense term): this document only.
                writing.writer.deleteDocuments(RepositoryFields.keyTerm(document.key()));
                entries.remove(document.key());
                skipped.put(document.key(), refused.getMessage());
                LOG.warning(() -> "Repository " + KeyTerms.abbreviate(document.key()) + " left out of the index "
                        + path.getFileName() + ": " + refused.getMessage());
                continue;
            }
            skipped.remove(document.key());
            entries.put(document.key(), new Entry(document, vectors[i]));
        }
    }

    public void remove(Collection<String> keys) throws IOException {
        for (String key : keys) {
            writing.writer.deleteDocuments(RepositoryFields.keyTerm(key));
            entries.remove(key);
            skipped.remove(key);
        }
        searchers.maybeRefreshBlocking();
    }

    /** The repositories left out, by key, with the reason Lucene gave. */
    public Map<String, String> skipped() {
        return Map.copyOf(skipped);
    }

    /** Makes the index durable in its directory (a build ends with this; later upserts need not). */
    public void commit() throws IOException {
        writing.writer.commit();
    }

    public int size() {
        return entries.size();
    }

    /** Merges every segment into one graph: the largest segment's is kept, the others' vectors inserted (merge workers). */
    public void mergeIntoOneGraph() throws IOException {
        writing.writer.forceMerge(1);
        searchers.maybeRefreshBlocking();
    }

    /** Segments a query searches, each a graph of its own. */
    public int segmentCount() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.getIndexReader().leaves().size();
        } finally {
            searchers.release(searcher);
        }
    }

    /** Whether this exact document (same texts) is in the index. */
    public boolean contains(CodeDocument document) {
        Entry entry = entries.get(document.key());
        return entry != null && entry.document().equals(document);
    }

    /** The keys of every repository in the index. */
    public java.util.Set<String> keys() {
        return java.util.Set.copyOf(entries.keySet());
    }

    /**
     * The approximate top {@code k} by HNSW: the graph is searched for {@code max(k, candidates)} nearest
     * neighbours (a wider beam, for recall), of which the best {@code k} are returned.
     */
    public List<Hit> searchHnsw(float[] query, int k) throws IOException {
        return searchHnsw(query, k, options.candidates());
    }

    /** The same with this many candidates instead of {@link HnswOptions#candidates} (a benchmark sweeps it). */
    public List<Hit> searchHnsw(float[] query, int k, int candidatesPerQuery) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            int candidates = Math.max(k, candidatesPerQuery);
            TopDocs top = searcher.search(new KnnFloatVectorQuery(RepositoryFields.VECTOR, query, candidates), candidates);
            List<Hit> hits = new ArrayList<>(Math.min(k, top.scoreDocs.length));
            var storedFields = searcher.storedFields();
            // Lucene ranks by (1 + cos) / 2, the cosine's order: the first k live ones are the answer, and
            // only those are read (a stored-field read per candidate cost more than the graph search).
            for (ScoreDoc scoreDoc : top.scoreDocs) {
                if (hits.size() == k) {
                    break;
                }
                String key = storedFields.document(scoreDoc.doc).get(RepositoryFields.KEY);
                Entry entry = entries.get(key);
                if (entry != null) {
                    // Lucene's dot-product score is (1 + cos) / 2; recompute the exact cosine for the answer.
                    hits.add(new Hit(entry.document(), Vectors.dot(query, entry.vector())));
                }
            }
            hits.sort(BEST_FIRST);
            return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
        } finally {
            searchers.release(searcher);
        }
    }

    /**
     * The top {@code k} by BM25 ({@link Bm25}) over each repository's code text (name, description,
     * topics): the keyword baseline a dense model has to beat. Scores are BM25's, not cosines.
     */
    public List<Hit> searchBm25(String query, int k) throws IOException {
        Query keywords = Bm25.query(analyzer, RepositoryFields.TEXT, query);
        if (keywords == null) {
            return List.of();
        }
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(keywords, Math.max(1, k));
            List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
            var storedFields = searcher.storedFields();
            for (ScoreDoc scoreDoc : top.scoreDocs) {
                Entry entry = entries.get(storedFields.document(scoreDoc.doc).get(RepositoryFields.KEY));
                if (entry != null) {
                    hits.add(new Hit(entry.document(), scoreDoc.score));
                }
            }
            hits.sort(BEST_FIRST);
            return List.copyOf(hits);
        } finally {
            searchers.release(searcher);
        }
    }

    /** The exact top {@code k}: every vector scored; ties broken by repository key. */
    public List<Hit> searchExact(float[] query, int k) {
        PriorityQueue<Hit> worstFirst = new PriorityQueue<>(BEST_FIRST.reversed());
        for (Entry entry : entries.values()) {
            float score = Vectors.dot(query, entry.vector());
            if (worstFirst.size() < k || score >= worstFirst.peek().score()) {
                worstFirst.add(new Hit(entry.document(), score));
                if (worstFirst.size() > k) {
                    worstFirst.poll();
                }
            }
        }
        List<Hit> hits = new ArrayList<>(worstFirst);
        hits.sort(BEST_FIRST);
        return hits;
    }

    /** Higher score first; equal scores by key, so that rankings are deterministic. */
    public static final Comparator<Hit> BEST_FIRST = Comparator.comparingDouble((Hit h) -> -h.score())
            .thenComparing(h -> h.document().key());

    @Override
    public void close() throws IOException {
        try (directory; writing; analyzer) {
            searchers.close();
        }
    }
}
