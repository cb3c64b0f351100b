package dev.paper2code.search.health;

import dev.paper2code.search.index.SearchIndexes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once an index serves: before that every query would answer 503. */
@Readiness
@ApplicationScoped
public class IndexReadiness implements HealthCheck {
    @Inject
    SearchIndexes indexes;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("search-index");
        indexes.status().ifPresentOrElse(status -> builder.up()
                        .withData("run_id", String.valueOf(status.runId()))
                        .withData("epoch", String.valueOf(status.epoch()))
                        .withData("repositories", status.repositories()),
                () -> builder.down().withData("reason", indexes.lastFailure().orElse("no trained model yet")));
        return builder.build();
    }
}
