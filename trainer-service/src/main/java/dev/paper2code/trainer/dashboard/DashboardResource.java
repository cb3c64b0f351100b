package dev.paper2code.trainer.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TrainingEvent;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.UncheckedIOException;
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
            ProgressFeed.Subscription subscription = feed.subscribe(event -> emitter.emit(json(event)));
            emitter.onTermination(subscription::close);
        }, feed.maxEvents() + 10_000);
    }

    private static String json(TrainingEvent event) {
        try {
            return Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
