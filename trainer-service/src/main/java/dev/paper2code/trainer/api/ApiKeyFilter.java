package dev.paper2code.trainer.api;

import dev.paper2code.trainer.TrainerConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The calls that start work or stop it (POST under /runs) need the configured API key when one is set,
 * and are refused altogether when {@code trainer.api.require-key} is on but no key is set. Reading
 * (GET) stays open: status, history, health and metrics carry no secrets.
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
        Optional<String> key = config.get().api().key().filter(k -> !k.isBlank());
        if (key.isEmpty()) {
            return config.get().api().requireKey()
                    ? Optional.of(ApiErrors.error(Response.Status.SERVICE_UNAVAILABLE,
                            "starting and stopping runs needs an API key, and none is configured (TRAINER_API_KEY)"))
                    : Optional.empty();
        }
        String sent = Optional.ofNullable(request.getHeaderString("X-API-Key")).orElseGet(() -> {
            String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
            return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        });
        if (MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), key.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Response.fromResponse(ApiErrors.error(Response.Status.UNAUTHORIZED,
                "this call needs the API key: Authorization: Bearer KEY, or X-API-Key: KEY"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
    }
}
