package dev.paper2code.benchmarks;

import dev.paper2code.retrieval.corpus.CodeDocument;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.corpus.CorpusPaper;
import dev.paper2code.retrieval.evaluation.CodeSearchMetrics;
import dev.paper2code.retrieval.index.Bm25;
import dev.paper2code.retrieval.index.RepositoryIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The quality issue's keyword baseline as it measured it by hand: BM25 over {@link Bm25.Tokens#PLAIN}
 * tokens, in a Lucene index of its own (search uses {@link Bm25.Tokens#IDENTIFIERS}). The quality table
 * keeps this row so that the targets, stated against it, are checked by every run beside the
 * stronger keyword search the product serves.
 */
final class PlainKeywordBaseline {
    private static final String KEY = "key";
    private static final String TEXT = "text";

    private PlainKeywordBaseline() {
    }

    /** Each paper's ranking of every repository, papers in id order (as {@code ServingIndex.rankings}). */
    static List<CodeSearchMetrics.Ranked> rankings(Corpus corpus, Collection<String> paperIds, int depth) throws IOException {
        List<CorpusPaper> papers = paperIds.stream().distinct().sorted().map(corpus::paper).flatMap(Optional::stream).toList();
        try (Analyzer analyzer = Bm25.analyzer(Bm25.Tokens.PLAIN); ByteBuffersDirectory directory = new ByteBuffersDirectory()) {
            Map<String, CodeDocument> repositories = new HashMap<>();
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setSimilarity(Bm25.SIMILARITY))) {
                for (CodeDocument repository : corpus.repositories()) {
                    repositories.put(repository.key(), repository);
                    Document document = new Document();
                    document.add(new StoredField(KEY, repository.key()));
                    document.add(new TextField(TEXT, repository.codeText(), Field.Store.NO));
                    writer.addDocument(document);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = Bm25.searcherFactory().newSearcher(reader, null);
                List<CodeSearchMetrics.Ranked> rankings = new ArrayList<>();
                for (CorpusPaper paper : papers) {
                    Query query = Bm25.query(analyzer, TEXT, paper.text());
                    List<RepositoryIndex.Hit> hits = new ArrayList<>();
                    if (query != null) {
                        for (ScoreDoc hit : searcher.search(query, depth).scoreDocs) {
                            String key = searcher.storedFields().document(hit.doc).get(KEY);
                            hits.add(new RepositoryIndex.Hit(repositories.get(key), hit.score));
                        }
                    }
                    hits.sort(RepositoryIndex.BEST_FIRST); // ties by key, as search breaks them
                    rankings.add(new CodeSearchMetrics.Ranked(hits.stream().map(hit -> hit.document().key()).toList(),
                            paper.repositoryKeys()));
                }
                return rankings;
            }
        }
    }
}
