package dev.paper2code.tokenizer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 10.1: a ~990 KB value of {@code "} on the pairs topic made a dead letter of about 2 MB (each
 * quote escaped), Kafka Streams died with RecordTooLargeException and crash-looped on every restart.
 * The dead letter is now cut to 64 KiB with the original's size and hash; the stream keeps running
 * and the pair behind the poison on the same partition is tokenized.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaWithPairsResource.class, restrictToAnnotatedClass = true)
class PoisonRecordTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aNearlyOneMegabyteRecordIsDeadLetteredAndTheStreamGoesOn() {
        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        byte[] quotes = new byte[990 * 1024];
        Arrays.fill(quotes, (byte) '"');
        TextPair after = new TextPair("poison::after", "poison-paper", "example/after-poison",
                "Contrastive retrieval of code", "example/after-poison\nretrieval code", "test");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                new ByteArraySerializer())) {
            // One key, one partition: the good pair waits behind the poison (under its own pair id, as
            // every pair must be published: another key is KEY_MISMATCH).
            producer.send(new ProducerRecord<>(Topics.PAIRS.name(), after.pairId(), quotes));
            producer.send(new ProducerRecord<>(Topics.PAIRS.name(), after.pairId(), Topics.PAIRS.serializeValue(after)));
        }

        DeadLetter poison = TopicReader.readUntil(bootstrapServers, Topics.DEAD_LETTERS.name(),
                        JsonSerde.of(DeadLetter.class), read -> read.stream().anyMatch(r -> r.value().payloadTruncated()),
                        Duration.ofSeconds(60))
                .stream().map(r -> r.value()).filter(DeadLetter::payloadTruncated).findFirst().orElseThrow();
        assertEquals("UNREADABLE_PAIR", poison.reason());
        assertEquals(quotes.length, poison.payloadBytes());
        assertTrue(poison.source().startsWith(Topics.PAIRS.name() + "-"), poison.source());

        Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> Arrays.asList(Topics.TOKENIZED_TRAIN.name(),
                        Topics.TOKENIZED_VAL.name()).stream()
                .flatMap(topic -> TopicReader.readAll(bootstrapServers, topic, JsonSerde.of(TextPair.class)).stream())
                .anyMatch(r -> r.key().equals(after.pairId())));
        assertEquals(200, given().get("/q/health/ready").statusCode(), "Kafka Streams is still RUNNING");
    }
}
