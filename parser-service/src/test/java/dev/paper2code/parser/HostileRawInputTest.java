package dev.paper2code.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Hostile input on the raw topic, against its own broker so that its dead letters are the only odd ones there. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedKafkaResource.class, restrictToAnnotatedClass = true)
class HostileRawInputTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private ParserProbe probe() {
        return new ParserProbe(bootstrapServers);
    }

    /**
     * Issue 10.2: a ~1 MB value of quotes made a dead letter of about 2 MB (every quote escaped), the
     * transaction aborted on RecordTooLargeException, and the batch was retried forever: the partition
     * stalled with health UP. Its dead letter is now cut to 64 KiB with the original size and hash, so
     * the entry queued behind it on the same partition arrives too.
     */
    @Test
    void aNearlyOneMegabyteRecordAndBinaryBytesAreDeadLetteredAndWhatFollowsThemStillFlows() {
        ParserProbe.awaitReady();
        byte[] quotes = new byte[990 * 1024];
        java.util.Arrays.fill(quotes, (byte) '"');
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 7, (byte) 0xc3};
        String entry = "{\"paper\": {\"arxiv_id\": \"hostile-0001\", \"title\": \"After The Poison\"},"
                + " \"repositories\": [{\"name\": \"example/after-poison\"}]}";
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            // One key: the three records share a partition, so the entry waits behind the other two.
            producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), "hostile", quotes));
            producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), "hostile", binary));
            producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), "hostile", entry.getBytes(StandardCharsets.UTF_8)));
        }

        assertEquals(1, probe().pairsWhere(p -> p.pairId().equals("hostile-0001::example/after-poison"), 1).size());
        List<DeadLetter> letters = probe().readWhere(Topics.DEAD_LETTERS.name(), JsonSerde.of(DeadLetter.class),
                d -> d.payloadBytes() == quotes.length || java.util.Arrays.equals(d.payloadAsBytes(), binary), 2);
        DeadLetter poison = letters.stream().filter(DeadLetter::payloadTruncated).findFirst().orElseThrow();
        assertEquals("MALFORMED_JSON", poison.reason());
        assertEquals(DeadLetter.MAX_PAYLOAD_BYTES, poison.payload().length());
        assertTrue(poison.source().startsWith(Topics.RAW_ENTRIES.name() + "-"), poison.source());
        DeadLetter bytes = letters.stream().filter(d -> !d.payloadTruncated()).findFirst().orElseThrow();
        assertEquals("MALFORMED_UTF8", bytes.reason());
        assertEquals(DeadLetter.BASE64, bytes.payloadEncoding());
        assertFalse(ParserProbe.health().containsKey("stalled.partitions"), "no partition is stalled: " + ParserProbe.health());
    }
}
