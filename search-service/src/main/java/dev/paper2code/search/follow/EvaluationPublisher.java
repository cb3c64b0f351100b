package dev.paper2code.search.follow;

import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.Topic;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.search.SearchConfig;
import dev.paper2code.search.index.SearchIndexes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes SEARCH_EVALUATED to the progress topic, keyed by the run id like the trainer's events, so
 * that whoever follows a run sees how its checkpoint searches. A failed send is logged: the evaluation
 * stays at {@code GET /search/evaluation} either way.
 */
@ApplicationScoped
public class EvaluationPublisher {
    private static final Logger LOG = Logger.getLogger(EvaluationPublisher.class);

    @Inject
    SearchConfig config;

    @Inject
    SearchIndexes indexes;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private KafkaProducer<String, TrainingEvent> producer;

    void start(@Observes StartupEvent ignored) {
        Topic<String, TrainingEvent> topic = Topics.TRAINING_PROGRESS.named(config.topics().progress());
        Map<String, Object> props = KafkaClients.idempotentProducer(kafkaConfig);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofMinutes(1).toMillis());
        producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
        indexes.onEvent(event -> producer.send(new ProducerRecord<>(topic.name(), event.runId(), event),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warnf("%s of run %s was not published: %s", event.type(), event.runId(), error.getMessage());
                    }
                }));
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
