package dev.paper2code.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts an {@link EmbeddedKafkaCluster} for a {@code @QuarkusTest} and points the application's
 * {@code kafka.bootstrap.servers} at it, in place of Dev Services (which would need Docker).
 */
public class EmbeddedKafkaResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedKafkaCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = EmbeddedKafkaCluster.start();
        return Map.of("kafka.bootstrap.servers", cluster.bootstrapServers());
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
