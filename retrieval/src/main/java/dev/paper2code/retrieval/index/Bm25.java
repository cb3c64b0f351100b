package dev.paper2code.retrieval.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
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
 * Keyword search: Okapi BM25 with k1 1.2 and b 0.75 (Lucene's and rank_bm25's defaults) over the code
 * text the encoder reads (name, description, topics), each distinct term of the query one clause (see
 * {@link #query}; with {@link Tokens#IDENTIFIERS} a word and each of its parts are terms of their
 * own). How text becomes terms is {@link Tokens}: search uses {@link Tokens#IDENTIFIERS};
 * {@link Tokens#PLAIN} is the keyword baseline the quality issue measured by hand, kept for the quality
 * benchmark's comparison with it.
 */
public final class Bm25 {
    public static final float K1 = 1.2f;
    public static final float B = 0.75f;
    public static final BM25Similarity SIMILARITY = new BM25Similarity(K1, B);

    /** Searchers that score with {@link #SIMILARITY}, as the index was written. */
    public static SearcherFactory searcherFactory() {
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

    /** How text (repository and query alike) becomes terms. */
    public enum Tokens {
        /**
         * Lower-cased runs of letters and digits, no stop words, no stemming: {@code princeton-nlp/SimCSE}
         * indexes as {@code princeton}, {@code nlp}, {@code simcse}. The quality issue's hand-run baseline
         * to the third decimal (0.476 / 0.667 / 0.532 on the default split). Lucene's StandardAnalyzer
         * ranked within 0.01 of it on the real data.
         */
        PLAIN,
        /**
         * {@link #PLAIN}'s words, each also split where a lower-case letter meets an upper-case one and
         * where letters meet digits ({@code SimCSE} adds {@code sim} and {@code cse}, {@code SpeechGPT}
         * {@code speech} and {@code gpt}, {@code detectron2} {@code detectron} and {@code 2}; the whole
         * word kept too; Lucene's WordDelimiterGraphFilter, which leaves an upper-case letter followed by
         * a lower-case one together, so {@code BERTScore} stays whole), minus English stop words
         * (Lucene's EnglishAnalyzer set).
         * Repository names are identifiers that papers spell apart ("SpeechGPT" names "speech" and
         * "GPT"), and a query is a whole abstract whose "the", "of" and "is" only add noise. On the real
         * data, against {@link #PLAIN}: MRR@10 0.532 -> 0.621, 0.484 -> 0.484, 0.384 -> 0.464 on three
         * splits, and the hybrid's Recall@10 0.730 -> 0.778 on the default one (docs/BENCHMARKS.md).
         */
        IDENTIFIERS
    }

    /** The analyzer of {@code tokens}, for indexing and for queries alike. */
    public static Analyzer analyzer(Tokens tokens) {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer words = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
                if (tokens == Tokens.PLAIN) {
                    return new TokenStreamComponents(words, new LowerCaseFilter(words));
                }
                TokenStream parts = new WordDelimiterGraphFilter(words, IDENTIFIER_PARTS, null);
                // The parts stack on their word as a graph; an index stores a flat token stream.
                TokenStream flat = new FlattenGraphFilter(parts);
                return new TokenStreamComponents(words,
                        new StopFilter(new LowerCaseFilter(flat), EnglishAnalyzer.ENGLISH_STOP_WORDS_SET));
            }
        };
    }

    private static final int IDENTIFIER_PARTS = WordDelimiterGraphFilter.GENERATE_WORD_PARTS
            | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
            | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS | WordDelimiterGraphFilter.PRESERVE_ORIGINAL;

    /**
     * Every distinct token of {@code text} as one optional clause, up to Lucene's clause limit; null for
     * no token. A word the paper repeats counts once: counting repeats (a clause per occurrence) let
     * "the", "of" and "and", dozens of times in an abstract, outweigh the one word that names the
     * method, and cost BM25 0.07 to 0.13 of MRR@10 on the real data (0.464 vs 0.532, 0.401 vs 0.484,
     * 0.251 vs 0.384 on three splits, {@link Tokens#PLAIN}; docs/BENCHMARKS.md).
     */
    public static Query query(Analyzer analyzer, String field, String text) {
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
