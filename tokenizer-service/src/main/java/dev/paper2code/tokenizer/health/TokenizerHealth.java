package dev.paper2code.tokenizer.health;

import dev.paper2code.tokenizer.streams.TokenizerStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready while Kafka Streams is RUNNING; live until it failed. The state and tokenizer are in the body. */
public class TokenizerHealth {

    @Inject
    TokenizerStreams streams;

    @Readiness
    @ApplicationScoped
    HealthCheck ready() {
        return () -> describe(HealthCheckResponse.named("tokenizer-streams").status(streams.isRunning())).build();
    }

    @Liveness
    @ApplicationScoped
    HealthCheck live() {
        return () -> describe(HealthCheckResponse.named("tokenizer-streams").status(!streams.hasFailed())).build();
    }

    private HealthCheckResponseBuilder describe(HealthCheckResponseBuilder builder) {
        builder.withData("state", streams.phase());
        streams.failure().ifPresent(failure -> builder.withData("failure", failure));
        streams.tokenizer().ifPresent(t -> builder.withData("tokenizerFingerprint", t.fingerprint()));
        return builder;
    }
}
