package dev.paper2code.tokenizer.datasetinfo;

import dev.paper2code.contracts.DatasetStats;
import dev.paper2code.tokenizer.streams.DatasetStatsQuery;
import dev.paper2code.tokenizer.streams.TokenizerStreams;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code GET /dataset-info}: the tokenizer and the current statistics of each split. */
@Path("/dataset-info")
public class DatasetInfoResource {

    /** The response document: what a {@code dataset_info.json} would hold. */
    public record DatasetInfo(Tokenizer tokenizer, Map<String, DatasetStats> splits) {
    }

    public record Tokenizer(String directory, String format, String fingerprint, int maxLength) {
    }

    @Inject
    TokenizerStreams streams;

    @Inject
    DatasetStatsQuery stats;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        if (!streams.isRunning() || streams.tokenizer().isEmpty() || streams.snapshot().isEmpty()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .entity(Map.of("state", streams.phase())).build();
        }
        var tokenizer = streams.tokenizer().get();
        var snapshot = streams.snapshot().get();
        return Response.ok(new DatasetInfo(
                new Tokenizer(snapshot.directory().toString(), snapshot.format(), tokenizer.fingerprint(), tokenizer.maxLength()),
                stats.datasetStats())).build();
    }
}
