package dev.paper2code.trainer.dashboard;

import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import dev.paper2code.trainer.TrainerConfig;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * What the dashboard page ({@code /}, static) reads besides the runs API: the progress topic as
 * server-sent events, everything kept first, then live. Each event's data is the event's JSON exactly as
 * on the topic.
 */
@Path("/dashboard")
public class DashboardResource {
    @Inject
    ProgressFeed feed;

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    @Operation(summary = "The progress topic as server-sent events: the events kept so far, then each new one")
    public Multi<String> events() {
        // The replay of everything kept arrives at once: the buffer must hold it (Mutiny's default of 128
        // items overflowed and cut the stream mid-replay), so it is sized by the feed's own bound.
        return Multi.createFrom().<String>emitter(emitter -> {
            ProgressFeed.Subscription subscription = feed.subscribe(emitter::emit);
            emitter.onTermination(subscription::close);
        }, feed.maxEvents() + 10_000);
    }

    @Inject
    TrainerConfig config;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the page needs to know besides the events: whether it gets a search box. */
    @GET
    @Path("/config")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The dashboard's options: whether search-service is configured (trainer.dashboard.search-url)")
    public Map<String, Object> configuration() {
        return Map.of("search", config.dashboard().searchUrl().isPresent());
    }

    /**
     * A search forwarded to search-service ({@code GET /search?q&k&method}), its answer and status
     * returned as they are (so search's own 400 for {@code k=abc}, not a 404 here); 404 when no search
     * service is configured, 502 when it does not answer.
     */
    @GET
    @Path("/search")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Forwards a query to search-service's GET /search and returns its answer")
    public Response search(@QueryParam("q") String query, @QueryParam("k") @DefaultValue("10") String k,
            @QueryParam("method") String method) throws InterruptedException {
        String base = config.dashboard().searchUrl().orElseThrow(() -> new NotFoundException(
                "no search service configured (trainer.dashboard.search-url)"));
        URI uri = URI.create(base.replaceAll("/+$", "") + "/search?k=" + URLEncoder.encode(k, StandardCharsets.UTF_8)
                + (method == null ? "" : "&method=" + URLEncoder.encode(method, StandardCharsets.UTF_8))
                + "&q=" + URLEncoder.encode(query == null ? "" : query, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return Response.status(answer.statusCode()).type(MediaType.APPLICATION_JSON).entity(answer.body()).build();
        } catch (IOException e) {
            return Response.status(Response.Status.BAD_GATEWAY).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "search-service at " + base + " does not answer: " + e.getMessage())).build();
        }
    }
}
