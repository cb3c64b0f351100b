package dev.paper2code.retrieval;

import dev.paper2code.retrieval.encoding.CheckpointInfo;
import java.util.List;

/**
 * The answer to one query.
 *
 * @param results        best first
 * @param queryTruncated whether the query was longer than the model's max length and was cut there
 * @param queryTokens    tokens of the query as embedded (special tokens included)
 * @param method         {@code hnsw} or {@code exact}
 * @param checkpoint     the model that embedded the query and the repositories
 */
public record SearchResults(List<Result> results, boolean queryTruncated, int queryTokens, String method,
                            CheckpointInfo checkpoint) {

    /** One repository: its 1-based rank, cosine similarity to the query, name, URL and description. */
    public record Result(int rank, double score, String repository, String url, String description) {
    }
}
