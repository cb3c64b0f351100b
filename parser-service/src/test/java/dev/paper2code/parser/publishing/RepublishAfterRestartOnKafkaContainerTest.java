package dev.paper2code.parser.publishing;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Against the apache/kafka image through Testcontainers, for users with a Docker engine; skipped, not
 * failed, where none runs (as on CI).
 */
@Testcontainers(disabledWithoutDocker = true)
class RepublishAfterRestartOnKafkaContainerTest extends RepublishAfterRestartContract {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

    @BeforeAll
    static void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.getBootstrapServers()))) {
            createTopics(admin);
        }
    }

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
