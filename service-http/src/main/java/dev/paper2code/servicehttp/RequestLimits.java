package dev.paper2code.servicehttp;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request past the service's limits gets its status with the reason as JSON, as every other error
 * does: Vert.x answers 414 and 413 with an empty body, which tells a caller nothing.
 *
 * <p>The request line is checked here against {@code paper2code.http.max-request-line} (64 KiB: a
 * URL-encoded title and abstract fit); Vert.x's own limit ({@code quarkus.http.limits.max-initial-line-length})
 * is set higher, as a hard cap past which Vert.x still answers alone. A body whose {@code Content-Length}
 * is past {@code quarkus.http.limits.max-body-size} is refused here before it is read; a chunked body
 * that grows past it is Quarkus' to refuse, and the failure that leaves is answered with the same JSON.
 */
@ApplicationScoped
public class RequestLimits {
    @ConfigProperty(name = "paper2code.http.max-request-line", defaultValue = "65536")
    int maxRequestLine;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.statusCode() == 413 && !context.response().headWritten()) {
                answer(context, 413, "the request body is larger than " + maxBodySize.asLongValue() + " bytes");
            } else {
                context.next();
            }
        });
    }

    private void check(RoutingContext context) {
        String uri = context.request().uri();
        if (uri.length() > maxRequestLine) {
            answer(context, 414, "the request line is " + uri.length() + " characters, more than the "
                    + maxRequestLine + " this service takes (paper2code.http.max-request-line)");
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long bytes;
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                answer(context, 400, "Content-Length is not a number: " + length);
                return;
            }
            if (bytes > maxBodySize.asLongValue()) {
                answer(context, 413, "the request body is " + bytes + " bytes, more than the " + maxBodySize.asLongValue()
                        + " this service takes (quarkus.http.limits.max-body-size)");
                return;
            }
        }
        context.next();
    }

    private static void answer(RoutingContext context, int status, String reason) {
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(new JsonObject().put("error", reason).encode());
    }
}
