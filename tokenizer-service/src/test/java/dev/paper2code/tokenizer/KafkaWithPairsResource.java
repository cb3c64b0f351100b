package dev.paper2code.tokenizer;

import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.testkit.EmbeddedKafkaResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real broker whose pairs topic already holds the sample pairs and a few records no one can
 * tokenize, and an empty tokenizer directory, so the service must learn its vocabulary from the topic.
 */
public class KafkaWithPairsResource extends EmbeddedKafkaResource {
    public static final List<byte[]> BAD_RECORDS = List.of(
            "{not json".getBytes(StandardCharsets.UTF_8),
            JsonSerde.of(TextPair.class).serialize("t", new TextPair("bad::empty", "bad", "example/empty", "", "example/empty", "test")));

    @Override
    protected Map<String, String> prepare(EmbeddedKafkaCluster cluster) {
        cluster.createTopics(List.of(new NewTopic(Topics.PAIRS.name(), 3, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        JsonSerde<TextPair> serde = JsonSerde.of(TextPair.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            SampleInput.pairs().forEach(pair -> producer.send(new ProducerRecord<>(Topics.PAIRS.name(), pair.pairId(),
                    serde.serialize(Topics.PAIRS.name(), pair))));
            for (int i = 0; i < BAD_RECORDS.size(); i++) {
                // A readable pair goes under its own pair id (another key is KEY_MISMATCH, issue 20.7).
                producer.send(new ProducerRecord<>(Topics.PAIRS.name(), i == 1 ? "bad::empty" : "bad-" + i, BAD_RECORDS.get(i)));
            }
        }
        try {
            return Map.of("tokenizer.path", Files.createTempDirectory("tokenizer").resolve("learned").toString(),
                    "tokenizer.state-dir", Files.createTempDirectory("tokenizer-state").toString(),
                    "tokenizer.vocab-size", "2000",
                    "tokenizer.max-length", "64");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
