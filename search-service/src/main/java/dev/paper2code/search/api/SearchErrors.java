package dev.paper2code.search.api;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of the search API, mapped to HTTP in one place, with a JSON body {@code {"error": ...}}:
 * a bad parameter is 400, an unknown paper 404, no trained model yet 503.
 */
public class SearchErrors {
    /** No index serves yet: nothing has been trained, or the first build is still running. */
    public static final class NoModelYet extends RuntimeException {
        public NoModelYet(String message) {
            super(message);
        }
    }

    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return error(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(NoModelYet e) {
        return Response.fromResponse(error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()))
                .header("Retry-After", "10").build();
    }

    @ServerExceptionMapper
    public Response switching(IllegalStateException e) {
        return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", String.valueOf(message))).type(MediaType.APPLICATION_JSON)
                .build();
    }
}
