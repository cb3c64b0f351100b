package dev.paper2code.parser.health;

import dev.paper2code.parser.ParserConfig;
import dev.paper2code.parser.ingest.ParserWorker;
import dev.paper2code.parser.publishing.Tally;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the configured file is imported and the raw topic is being consumed; live until the worker
 * fails. Both go DOWN when a raw-topic partition has not advanced for {@code parser.stall-timeout}
 * because its batch fails on every try. {@code /q/health} shows the state, the stall and the counts.
 */
public class ParserHealth {

    @Inject
    ParserWorker worker;

    @Inject
    ParserConfig config;

    @Readiness
    @ApplicationScoped
    HealthCheck ready() {
        return () -> {
            ParserWorker.State state = worker.state();
            boolean ready = (state == ParserWorker.State.CONSUMING || state == ParserWorker.State.IDLE) && !stalled();
            return describe(HealthCheckResponse.named("parser-worker").status(ready)).build();
        };
    }

    @Liveness
    @ApplicationScoped
    HealthCheck live() {
        return () -> describe(HealthCheckResponse.named("parser-worker")
                .status(worker.state() != ParserWorker.State.FAILED && !stalled())).build();
    }

    /** A raw-topic partition has not advanced for longer than {@code parser.stall-timeout} because its batch keeps failing. */
    private boolean stalled() {
        return worker.stall().map(stall -> stall.age().compareTo(config.stallTimeout()) > 0).orElse(false);
    }

    private HealthCheckResponseBuilder describe(HealthCheckResponseBuilder builder) {
        builder.withData("state", worker.state().name());
        worker.stall().ifPresent(stall -> builder.withData("stalled.partitions", stall.partitions())
                .withData("stalled.seconds", stall.age().toSeconds()).withData("stalled.cause", stall.cause()));
        if (worker.failure() != null) {
            builder.withData("failure", worker.failure());
        }
        Tally file = worker.fileTally();
        if (file != null) {
            builder.withData("file.entries", file.entries())
                    .withData("file.pairsCreated", file.pairsCreated())
                    .withData("file.alreadyPublished", file.alreadyPublished())
                    .withData("file.deadLettered", file.deadLettered());
        }
        Tally raw = worker.rawTally();
        return builder.withData("raw.entries", raw.entries())
                .withData("raw.pairsCreated", raw.pairsCreated())
                .withData("raw.alreadyPublished", raw.alreadyPublished())
                .withData("raw.deadLettered", raw.deadLettered());
    }
}
