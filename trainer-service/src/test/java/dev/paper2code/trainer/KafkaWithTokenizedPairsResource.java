package dev.paper2code.trainer;

import dev.paper2code.training.SyntheticPairs;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.testkit.EmbeddedKafkaResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** A real broker whose tokenized topics hold {@link SyntheticPairs} and one invalid record, and the tokenizer they were made with. */
public class KafkaWithTokenizedPairsResource extends EmbeddedKafkaResource {
    @Override
    protected Map<String, String> prepare(EmbeddedKafkaCluster cluster) {
        cluster.createTopics(3, Topics.TOKENIZED_TRAIN.name(), Topics.TOKENIZED_VAL.name());
        try {
            Path directory = Files.createTempDirectory("trainer-test");
            SyntheticPairs data = new SyntheticPairs(directory, 60);
            data.publish(cluster.bootstrapServers(), Topics.TOKENIZED_TRAIN.name(), Topics.TOKENIZED_VAL.name());
            // One record put there by hand: runs skip it and say so (RECORDS_SKIPPED).
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", cluster.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.TOKENIZED_TRAIN.name(), "by-hand", "{\"foo\":1}"));
            }
            return Map.of("trainer.run.tokenizer-path", data.tokenizerPath.toString(),
                    "trainer.run.checkpoint-dir", directory.resolve("checkpoints").toString(),
                    "trainer.run.learning-rate", "1e-3",
                    "trainer.log-every-steps", "2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
