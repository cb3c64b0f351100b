package dev.paper2code.trainer.events;

import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.Topic;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/** Publishes {@link TrainingEvent}s to the progress topic, keyed by run id (one partition per run keeps them in order). */
public final class ProgressPublisher implements Consumer<TrainingEvent>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    private final KafkaProducer<String, TrainingEvent> producer;
    private final Topic<String, TrainingEvent> topic;

    public ProgressPublisher(Map<String, Object> kafkaConfig, String topicName) {
        this.topic = Topics.TRAINING_PROGRESS.named(topicName);
        Map<String, Object> props = KafkaClients.idempotentProducer(kafkaConfig);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Override
    public void accept(TrainingEvent event) {
        producer.send(new ProducerRecord<>(topic.name(), event.runId(), event), (metadata, error) -> {
            if (error != null) {
                LOG.warnf("Progress event %s of run %s was not published: %s", event.type(), event.runId(),
                        error.getMessage());
            }
        });
        if (event.type() != TrainingEvent.Type.BATCH_LOSS) {
            producer.flush();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
