package dev.paper2code.trainer.api;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of the REST API, mapped to HTTP in one place, each with a JSON body {@code {"error": ...}}:
 * a bad request or setting is 400, a run that cannot start now is 409, an unknown run 404.
 */
public class ApiErrors {
    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(IllegalStateException e) {
        return error(Response.Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return error(Response.Status.NOT_FOUND, e.getMessage());
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", String.valueOf(message))).type(MediaType.APPLICATION_JSON)
                .build();
    }
}
