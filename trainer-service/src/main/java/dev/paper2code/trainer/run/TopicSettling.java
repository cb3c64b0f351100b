package dev.paper2code.trainer.run;

import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.TopicCursor;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Waits until a topic holds records and has stopped growing for a while: what an auto-started run
 * needs when the whole pipeline starts at once (docker compose), so that it does not start on the
 * first few pairs while the tokenizer is still working through the rest.
 */
public final class TopicSettling {
    private static final Logger LOG = Logger.getLogger(TopicSettling.class);
    private static final Duration CHECK = Duration.ofSeconds(2);

    private TopicSettling() {
    }

    /** Returns the topic's size in offsets (transaction markers included) once settled, or -1 when cancelled first. */
    public static long await(Map<String, Object> kafkaConfig, String topic, Duration quietPeriod, BooleanSupplier cancelled)
            throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.scanConsumer(kafkaConfig),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long last = -1;
            long unchangedSince = System.nanoTime();
            boolean announced = false;
            while (!cancelled.getAsBoolean()) {
                long size;
                try {
                    size = TopicCursor.size(consumer, topic);
                } catch (org.apache.kafka.common.errors.RetriableException e) {
                    LOG.infof("Waiting for the broker to size %s: %s", topic, e.getMessage());
                    Thread.sleep(CHECK.toMillis());
                    continue;
                }
                if (size != last) {
                    last = size;
                    unchangedSince = System.nanoTime();
                } else if (size > 0 && System.nanoTime() - unchangedSince >= quietPeriod.toNanos()) {
                    return size;
                }
                if (!announced) {
                    LOG.infof("Waiting for %s to fill and then stay unchanged for %s before starting the run", topic,
                            quietPeriod);
                    announced = true;
                }
                Thread.sleep(CHECK.toMillis());
            }
            return -1;
        }
    }
}
