package dev.paper2code.search;

import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.retrieval.TestCorpus;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.testkit.EmbeddedKafkaResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A broker holding the synthetic corpus on the pairs topic (with one record that is not a pair), the
 * val split's papers on the val topic, and an empty progress topic; empty checkpoint and index roots.
 */
public class KafkaWithCorpusResource extends EmbeddedKafkaResource {
    public static final int PAPERS = 30;
    /** The papers of the val split: every third one. */
    public static final List<String> VAL_PAPERS = java.util.stream.IntStream.range(0, PAPERS).filter(p -> p % 3 == 0)
            .mapToObj(p -> "p" + p).toList();

    @Override
    protected Map<String, String> prepare(EmbeddedKafkaCluster cluster) {
        cluster.createTopics(List.of(Topics.PAIRS.newTopic((short) 1), Topics.TOKENIZED_VAL.newTopic((short) 1),
                Topics.TRAINING_PROGRESS.newTopic((short) 1)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", cluster.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            var serde = JsonSerde.of(TextPair.class);
            producer.send(new ProducerRecord<>(Topics.PAIRS.name(), "poison", "{not json".getBytes(StandardCharsets.UTF_8)));
            for (TextPair pair : TestCorpus.pairs(PAPERS)) {
                producer.send(new ProducerRecord<>(Topics.PAIRS.name(), pair.pairId(), serde.serializer().serialize("t", pair)));
            }
            for (String paper : VAL_PAPERS) {
                producer.send(new ProducerRecord<>(Topics.TOKENIZED_VAL.name(), paper + "::x",
                        ("{\"pairId\":\"" + paper + "::x\",\"paperId\":\"" + paper + "\",\"split\":\"val\"}")
                                .getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        try {
            Path root = Files.createTempDirectory("search-test");
            return Map.of("search.checkpoint-root", Files.createDirectories(root.resolve("checkpoints")).toString(),
                    "search.index-root", root.resolve("index").toString(),
                    "test.outside-root", Files.createDirectories(root.resolve("outside")).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
