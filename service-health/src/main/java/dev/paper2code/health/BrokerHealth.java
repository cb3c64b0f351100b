package dev.paper2code.health;

import dev.paper2code.contracts.BrokerProbe;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while a broker answers; the answer comes within a second, also while the broker is away
 * (Quarkus' own Kafka check hung 30 s and more). One bean for the parser, tokenizer and trainer, which
 * depend on this module; search-service leaves it out on purpose: it keeps answering from its index
 * through an outage.
 */
@Readiness
@ApplicationScoped
public class BrokerHealth implements HealthCheck {
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private volatile BrokerProbe probe;

    @Override
    public HealthCheckResponse call() {
        BrokerProbe.Answer answer = probe().ask();
        return HealthCheckResponse.named("kafka-broker").status(answer.reachable())
                .withData("broker", answer.reachable() ? "UP" : "DOWN").withData("detail", answer.detail()).build();
    }

    private synchronized BrokerProbe probe() {
        if (probe == null) {
            probe = new BrokerProbe(kafkaConfig);
        }
        return probe;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (probe != null) {
            probe.close();
        }
    }
}
