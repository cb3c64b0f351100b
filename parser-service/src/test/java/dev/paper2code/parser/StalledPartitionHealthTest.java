package dev.paper2code.parser;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 10.2: a raw-topic partition that cannot advance because its batch fails on every try made
 * "Batch aborted" warnings that never named the cause, with /q/health UP. Here the parser's producer
 * may send no record over 16 KiB, so a 40 KiB malformed entry's dead letter can never be written:
 * after {@code parser.stall-timeout} liveness and readiness are DOWN and name the partition and cause.
 */
@QuarkusTest
@TestProfile(StalledPartitionHealthTest.SmallRequests.class)
@QuarkusTestResource(value = EmbeddedKafkaResource.class, restrictToAnnotatedClass = true)
class StalledPartitionHealthTest {
    public static final class SmallRequests implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.max.request.size", "16384", "parser.stall-timeout", "2s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aPartitionThatCannotAdvanceMakesTheServiceUnhealthyAndSaysWhy() {
        ParserProbe.awaitReady();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), "x", "{not json " + "x".repeat(40_000)));
        }

        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/live").statusCode() == 503);
        String body = given().get("/q/health/live").asString();
        assertTrue(body.contains("RecordTooLargeException") && body.contains(Topics.RAW_ENTRIES.name()), body);
        assertTrue(given().get("/q/health/ready").statusCode() == 503, "not ready either");
    }
}
