package dev.paper2code.trainer;

import java.util.Map;
import java.util.Properties;

/** Client properties for the trainer's own producers and consumers, from the application's {@code kafka.*} map. */
public final class KafkaClients {
    private KafkaClients() {
    }

    /**
     * The application's Kafka settings (bootstrap servers, SASL/TLS, ...) without {@code group.*}: the
     * trainer's consumers read without a consumer group, and the producer has no use for one.
     */
    public static Properties properties(Map<String, Object> kafkaConfig) {
        Properties props = new Properties();
        kafkaConfig.forEach((key, value) -> {
            if (!key.startsWith("group.")) {
                props.put(key, value);
            }
        });
        return props;
    }
}
