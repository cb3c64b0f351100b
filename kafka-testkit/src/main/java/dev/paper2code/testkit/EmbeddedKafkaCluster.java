package dev.paper2code.testkit;

import dev.paper2code.contracts.TopicProvisioning;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Apache Kafka cluster in KRaft mode (combined broker and controller) running inside
 * the test JVM, listening on a free port of 127.0.0.1. This class is the only place that touches
 * Kafka's internal {@code KafkaClusterTestKit}, so a change of that API is fixed here once.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private EmbeddedKafkaCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats storage in a temporary directory, starts the node and waits until the broker serves. */
    public static EmbeddedKafkaCluster start() {
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    // One broker: the internal topics behind transactions and consumer groups must fit it.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafkaCluster(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the embedded Kafka cluster", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the embedded Kafka cluster", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates topics that do not exist yet, each with the given number of partitions. */
    public void createTopics(int partitions, String... names) {
        createTopics(List.of(names).stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList());
    }

    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            TopicProvisioning.ensureExist(admin, topics);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the embedded Kafka cluster", e);
        }
    }
}
