package dev.paper2code.trainer.api;

import dev.paper2code.trainer.TrainerConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The calls that start work or stop it (POST under /runs) need the configured API key when one is set,
 * and are refused altogether when {@code trainer.api.require-key} is on but no key is set. Reading
 * (GET) stays open: status, history, health and metrics carry no secrets.
 *
 * <p>Whatever the key, a browser must not be able to make them for another site (CSRF: run-local has no
 * key, and any page the user visits could post to 127.0.0.1): a request whose {@code Origin} is not
 * this server, or that a browser marks {@code Sec-Fetch-Site: cross-site}, is refused (403), and a start's
 * body must be {@code application/json} (415; an HTML form can only send form encodings or text/plain).
 */
public class ApiKeyFilter {
    /** Looked up per request: filters are built before the runtime configuration exists. */
    @Inject
    Instance<TrainerConfig> config;

    @ServerRequestFilter
    public Optional<Response> requireKeyForWrites(ContainerRequestContext request) {
        if (!"POST".equals(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/runs")) {
            return Optional.empty();
        }
        Optional<Response> foreign = crossSite(request);
        if (foreign.isPresent()) {
            return foreign;
        }
        Optional<String> key = config.get().api().key().filter(k -> !k.isBlank());
        if (key.isEmpty()) {
            return config.get().api().requireKey()
                    ? Optional.of(ApiErrors.error(Response.Status.SERVICE_UNAVAILABLE,
                            "starting and stopping runs needs an API key, and none is configured (TRAINER_API_KEY)"))
                    : Optional.empty();
        }
        String sent = Optional.ofNullable(request.getHeaderString("X-API-Key")).orElseGet(() -> {
            String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
            // Authentication schemes are case-insensitive (RFC 9110 11.1): "bearer KEY" is the same.
            return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).strip() : "";
        });
        if (MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), key.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Response.fromResponse(ApiErrors.error(Response.Status.UNAUTHORIZED,
                "this call needs the API key: Authorization: Bearer KEY, or X-API-Key: KEY"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
    }

    private static Optional<Response> crossSite(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        String host = request.getHeaderString(HttpHeaders.HOST);
        boolean foreignOrigin = origin != null && !origin.equals("null") && (host == null || !sameHost(origin, host));
        if (foreignOrigin || "null".equals(origin) || "cross-site".equalsIgnoreCase(request.getHeaderString("Sec-Fetch-Site"))) {
            return Optional.of(ApiErrors.error(Response.Status.FORBIDDEN, "cross-origin requests may not start or stop "
                    + "runs (Origin " + origin + "); use the dashboard served by this trainer, or a client without an Origin"));
        }
        // Only a start reads a body (its settings); stop has none to check.
        MediaType type = request.getMediaType();
        boolean start = request.getUriInfo().getPath().equals("/runs") || request.getUriInfo().getPath().equals("/runs/");
        if (start && type != null && !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return Optional.of(ApiErrors.error(Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "the body must be application/json, not " + type));
        }
        return Optional.empty();
    }

    /** Whether {@code origin} (scheme://host[:port]) names the host and port this request was sent to. */
    private static boolean sameHost(String origin, String host) {
        try {
            java.net.URI uri = new java.net.URI(origin);
            String authority = uri.getAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
