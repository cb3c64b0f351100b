package dev.paper2code.search.api;

import dev.paper2code.retrieval.SearchMethod;
import dev.paper2code.search.SearchConfig;
import dev.paper2code.search.index.SearchIndexes;
import io.micrometer.core.annotation.Timed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Paper-to-code search over the repositories of the corpus, with the newest best checkpoint:
 * {@code GET /search?q=...&k=10}, {@code GET /search/papers/{arxivId}}, {@code GET /search/evaluation},
 * {@code GET /search/status}. Read-only: nothing here starts work or writes files.
 */
@Path("/search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {
    private static final String NO_MODEL = "no trained model yet: search serves once the trainer saves a best checkpoint";

    @Inject
    SearchIndexes indexes;

    @Inject
    SearchConfig config;

    @GET
    @Timed(value = "search_query", description = "search requests")
    public SearchResponse search(@QueryParam("q") String q, @QueryParam("k") @DefaultValue("10") String k,
                                 @QueryParam("method") String method) throws IOException {
        if (q == null || q.isBlank()) {
            throw new IllegalArgumentException("q is required: the paper's title and abstract");
        }
        int top = top(k);
        SearchMethod how = method(method);
        return indexes.query((index, corpus) -> SearchResponse.of(null, index.search(q, top, how)))
                .orElseThrow(() -> new SearchErrors.NoModelYet(NO_MODEL));
    }

    @GET
    @Path("/papers/{arxivId}")
    @Timed(value = "search_query", description = "search requests")
    public SearchResponse paper(@PathParam("arxivId") String arxivId, @QueryParam("k") @DefaultValue("10") String k,
                                @QueryParam("method") String method) throws IOException {
        int top = top(k);
        SearchMethod how = method(method);
        Optional<Optional<SearchResponse>> answer = indexes.query((index, corpus) ->
                index.searchPaper(corpus, arxivId, top, how).map(results -> SearchResponse.of(arxivId, results)));
        return answer.orElseThrow(() -> new SearchErrors.NoModelYet(NO_MODEL))
                .orElseThrow(() -> new NotFoundException("no paper " + arxivId + " in the corpus"));
    }

    @GET
    @Path("/evaluation")
    public SearchIndexes.Evaluation evaluation() {
        return indexes.evaluation().orElseThrow(() -> new SearchErrors.NoModelYet(NO_MODEL));
    }

    @GET
    @Path("/status")
    public SearchIndexes.Status status() {
        return indexes.status().orElseThrow(() -> new SearchErrors.NoModelYet(
                indexes.lastFailure().map(f -> NO_MODEL + "; the last build failed: " + f).orElse(NO_MODEL)));
    }

    private int top(String k) {
        int value;
        try {
            value = Integer.parseInt(k.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("k must be a whole number, not '" + k + "'");
        }
        if (value <= 0 || value > config.maxK()) {
            throw new IllegalArgumentException("k must be between 1 and " + config.maxK() + ", not " + value);
        }
        return value;
    }

    private SearchMethod method(String method) {
        if (method == null || method.isBlank()) {
            return indexes.defaultMethod();
        }
        return SearchMethod.of(method.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                new IllegalArgumentException("method must be one of " + SearchMethod.labels() + ", not '" + method + "'"));
    }
}
