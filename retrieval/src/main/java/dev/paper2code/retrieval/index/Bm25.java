package dev.paper2code.retrieval.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;

/**
 * The keyword baseline: Okapi BM25 with k1 1.2 and b 0.75 (Lucene's and rank_bm25's defaults) over
 * lower-cased runs of letters and digits, no stop words, no stemming, so {@code princeton-nlp/SimCSE}
 * indexes as {@code princeton}, {@code nlp}, {@code simcse} and {@code graph_nets} as {@code graph},
 * {@code nets}: the tokens of the keyword baseline the quality issue measured by hand. Lucene's
 * StandardAnalyzer (Unicode word boundaries, {@code graph_nets} and {@code v2.0} kept whole) ranked
 * within 0.01 of it on the real data, and name and description alone ranked below name, description
 * and topics on three splits (MRR@10 0.442 vs 0.464, 0.374 vs 0.401, 0.219 vs 0.250): both measured
 * when each occurrence of a query word was a clause (see {@link #query}); the text indexed is the
 * code text the encoder reads (name, description, topics).
 */
public final class Bm25 {
    public static final float K1 = 1.2f;
    public static final float B = 0.75f;
    static final BM25Similarity SIMILARITY = new BM25Similarity(K1, B);

    /** Searchers that score with {@link #SIMILARITY}, as the index was written. */
    static SearcherFactory searcherFactory() {
        return new SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                IndexSearcher searcher = new IndexSearcher(reader);
                searcher.setSimilarity(SIMILARITY);
                return searcher;
            }
        };
    }

    private Bm25() {
    }

    /** Letters and digits, lower-cased; everything else separates tokens. */
    static Analyzer analyzer() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer words = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
                return new TokenStreamComponents(words, new LowerCaseFilter(words));
            }
        };
    }

    /**
     * Every distinct token of {@code text} as one optional clause, up to Lucene's clause limit; null for
     * no token. A word the paper repeats counts once: counting repeats (a clause per occurrence) let
     * "the", "of" and "and", dozens of times in an abstract, outweigh the one word that names the
     * method, and cost BM25 0.07 to 0.13 of MRR@10 on the real data (0.464 vs 0.532, 0.401 vs 0.484,
     * 0.251 vs 0.384 on three splits; docs/BENCHMARKS.md). With distinct terms this is the hand-run
     * baseline of the quality issue to the third decimal (0.476 / 0.667 / 0.532).
     */
    static Query query(Analyzer analyzer, String field, String text) {
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        Set<String> terms = new HashSet<>();
        try (TokenStream tokens = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken() && terms.size() < IndexSearcher.getMaxClauseCount()) {
                if (terms.add(term.toString())) {
                    builder.add(new TermQuery(new Term(field, term.toString())), BooleanClause.Occur.SHOULD);
                }
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing an in-memory string cannot fail", e);
        }
        return terms.isEmpty() ? null : builder.build();
    }
}
