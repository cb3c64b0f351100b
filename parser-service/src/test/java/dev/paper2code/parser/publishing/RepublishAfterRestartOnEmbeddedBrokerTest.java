package dev.paper2code.parser.publishing;

import dev.paper2code.testkit.EmbeddedKafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Against the in-JVM KRaft broker: runs everywhere. */
class RepublishAfterRestartOnEmbeddedBrokerTest extends RepublishAfterRestartContract {
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafkaCluster.start();
        try (Admin admin = kafka.admin()) {
            createTopics(admin);
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}
