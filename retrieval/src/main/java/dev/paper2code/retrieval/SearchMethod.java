package dev.paper2code.retrieval;

import java.util.Optional;

/**
 * How a query is answered: the HNSW graph, every vector scored, BM25 keywords only (the baseline), or
 * exact dense and BM25 rankings fused by standardised scores ({@link dev.paper2code.retrieval.index.RankFusion}).
 */
public enum SearchMethod {
    HNSW, EXACT, BM25, HYBRID;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The method of this label, or empty. */
    public static Optional<SearchMethod> of(String label) {
        return java.util.Arrays.stream(values()).filter(m -> m.label().equals(label)).findFirst();
    }

    public static String labels() {
        return java.util.Arrays.stream(values()).map(SearchMethod::label).collect(java.util.stream.Collectors.joining(", "));
    }
}
