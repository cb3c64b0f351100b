package dev.paper2code.retrieval.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;

/**
 * The keyword baseline: Okapi BM25 with k1 1.2 and b 0.75 (Lucene's and rank_bm25's defaults) over
 * Lucene's {@code StandardAnalyzer} tokens (Unicode word boundaries, lower-cased, no stop words), so
 * {@code princeton-nlp/SimCSE} indexes as {@code princeton}, {@code nlp}, {@code simcse}.
 */
public final class Bm25 {
    public static final float K1 = 1.2f;
    public static final float B = 0.75f;
    static final BM25Similarity SIMILARITY = new BM25Similarity(K1, B);

    private Bm25() {
    }

    /**
     * Every token of {@code text} as one optional clause, repeats included (a word the paper says twice
     * counts twice, as in BM25's sum over query terms), up to Lucene's clause limit; null for no token.
     */
    static Query query(Analyzer analyzer, String field, String text) {
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        int clauses = 0;
        try (TokenStream tokens = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken() && clauses < IndexSearcher.getMaxClauseCount()) {
                builder.add(new TermQuery(new Term(field, term.toString())), BooleanClause.Occur.SHOULD);
                clauses++;
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing an in-memory string cannot fail", e);
        }
        return clauses == 0 ? null : builder.build();
    }
}
