package dev.paper2code.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts an {@link EmbeddedKafkaCluster} for a {@code @QuarkusTest} and points the application's
 * {@code kafka.bootstrap.servers} at it, in place of Dev Services (which would need Docker).
 * Subclasses seed the broker and add configuration in {@link #prepare}.
 */
public class EmbeddedKafkaResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedKafkaCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = EmbeddedKafkaCluster.start();
        Map<String, String> config = new HashMap<>(prepare(cluster));
        config.put("kafka.bootstrap.servers", cluster.bootstrapServers());
        return config;
    }

    /** Creates topics and publishes what the test needs; returns configuration for the application. */
    protected Map<String, String> prepare(EmbeddedKafkaCluster cluster) {
        return Map.of();
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
