package dev.paper2code.search.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.paper2code.retrieval.SearchResults;
import java.util.List;

/**
 * The JSON of a search answer.
 *
 * @param query      what was searched: the paper id when a corpus paper was the query, whether the text
 *                   was cut to the model's max length and how many tokens were embedded
 * @param checkpoint the model that answered: run id, epoch, path, content fingerprint
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResponse(Query query, String method, Checkpoint checkpoint, List<SearchResults.Result> results) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Query(String paperId, boolean truncated, int tokens, int maxLength, String note) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Checkpoint(String runId, Integer epoch, String path, String fingerprint) {
    }

    static SearchResponse of(String paperId, SearchResults results) {
        var checkpoint = results.checkpoint();
        String note = results.queryTruncated()
                ? "the query was longer than the model's " + checkpoint.maxLength() + " tokens and was truncated"
                : null;
        return new SearchResponse(new Query(paperId, results.queryTruncated(), results.queryTokens(),
                checkpoint.maxLength(), note), results.method(),
                new Checkpoint(checkpoint.runId(), checkpoint.epoch(), checkpoint.path(),
                        checkpoint.fingerprint()), results.results());
    }
}
