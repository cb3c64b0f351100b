package dev.paper2code.training.events;

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

/**
 * Publishes {@link TrainingEvent}s to the progress topic, keyed by run id (one partition per run keeps
 * them in order). Sends happen on a thread of their own, so that training never waits for the broker;
 * through a broker outage the producer keeps the events (up to {@code DELIVERY_TIMEOUT}) and delivers
 * them, in order, when the broker is back.
 */
public final class ProgressPublisher implements Consumer<TrainingEvent>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    private static final java.time.Duration DELIVERY_TIMEOUT = java.time.Duration.ofMinutes(30);

    private final KafkaProducer<String, TrainingEvent> producer;
    private final Topic<String, TrainingEvent> topic;
    private final java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(
            runnable -> {
                Thread thread = new Thread(runnable, "progress-publisher");
                thread.setDaemon(true);
                return thread;
            });

    public ProgressPublisher(Map<String, Object> kafkaConfig, String topicName) {
        this.topic = Topics.TRAINING_PROGRESS.named(topicName);
        Map<String, Object> props = KafkaClients.idempotentProducer(kafkaConfig);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        // send() waits for topic metadata; it does so on the sender thread, as long as delivery may take.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DELIVERY_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Override
    public void accept(TrainingEvent event) {
        sender.execute(() -> {
            try {
                producer.send(new ProducerRecord<>(topic.name(), event.runId(), event), (metadata, error) -> {
                    if (error != null) {
                        LOG.warnf("Progress event %s of run %s was not published: %s", event.type(), event.runId(),
                                error.getMessage());
                    }
                });
            } catch (RuntimeException e) {
                LOG.warnf("Progress event %s of run %s was not published: %s", event.type(), event.runId(),
                        e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
