package dev.paper2code.trainer.events;

import dev.paper2code.contracts.Json;
import dev.paper2code.trainer.KafkaClients;
import dev.paper2code.contracts.TrainingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/** Publishes {@link TrainingEvent}s to the progress topic, keyed by run id (one partition per run keeps them in order). */
public final class ProgressPublisher implements Consumer<TrainingEvent>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public ProgressPublisher(Map<String, Object> kafkaConfig, String topic) {
        Properties props = KafkaClients.properties(kafkaConfig);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
    }

    @Override
    public void accept(TrainingEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.runId(), Json.MAPPER.writeValueAsBytes(event)),
                    (metadata, error) -> {
                        if (error != null) {
                            LOG.warnf("Progress event %s of run %s was not published: %s", event.type(), event.runId(),
                                    error.getMessage());
                        }
                    });
            if (event.type() != TrainingEvent.Type.BATCH_LOSS) {
                producer.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
