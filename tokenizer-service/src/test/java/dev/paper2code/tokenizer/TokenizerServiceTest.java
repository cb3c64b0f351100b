package dev.paper2code.tokenizer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.DatasetStats;
import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.TopicReader;
import dev.paper2code.tokenizer.split.SplitAssigner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The running tokenizer-service on a real KRaft broker: it learns a vocabulary from the pairs topic,
 * then every input record comes out as a train record, a val record or a dead letter.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaWithPairsResource.class, restrictToAnnotatedClass = true)
class TokenizerServiceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "tokenizer.path")
    Path tokenizerPath;

    @Test
    void everyPairComesOutTokenizedOrDeadLetteredAndTheStatsAddUp() {
        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        int pairs = SampleInput.pairs().size();
        int bad = KafkaWithPairsResource.BAD_RECORDS.size();

        Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> all(Topics.TOKENIZED_TRAIN.name(), TokenizedPair.class).size()
                + all(Topics.TOKENIZED_VAL.name(), TokenizedPair.class).size() >= pairs
                && all(Topics.DEAD_LETTERS.name(), DeadLetter.class).size() >= bad);
        List<TokenizedPair> train = all(Topics.TOKENIZED_TRAIN.name(), TokenizedPair.class);
        List<TokenizedPair> val = all(Topics.TOKENIZED_VAL.name(), TokenizedPair.class);
        List<DeadLetter> deadLetters = all(Topics.DEAD_LETTERS.name(), DeadLetter.class);

        assertEquals(pairs + bad, train.size() + val.size() + deadLetters.size(), "in = train + val + dead letters");
        assertEquals(Set.of("UNREADABLE_PAIR", "EMPTY_PAPER_TOKENS"),
                deadLetters.stream().map(DeadLetter::reason).collect(Collectors.toSet()));
        SplitAssigner expected = new SplitAssigner(0.2, "paper2code");
        train.forEach(p -> assertEquals(TokenizedPair.TRAIN, expected.splitOf(p.paperId()), p.pairId()));
        val.forEach(p -> assertEquals(TokenizedPair.VAL, expected.splitOf(p.paperId()), p.pairId()));
        String fingerprint = train.get(0).tokenizerFingerprint();
        assertTrue(train.stream().allMatch(p -> p.tokenizerFingerprint().equals(fingerprint) && p.maxLength() == 64));
        assertTrue(Files.isRegularFile(tokenizerPath.resolve("tokenizer.json")), "the learned vocabulary was written");

        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> given().get("/dataset-info").statusCode() == 200);
        JsonPath info = given().get("/dataset-info").jsonPath();
        assertEquals(fingerprint, info.getString("tokenizer.fingerprint"));
        assertEquals("tokenizer.json", info.getString("tokenizer.format"));
        assertEquals(train.size(), info.getLong("splits.train.pairs"));
        assertEquals(val.size(), info.getLong("splits.val.pairs"));

        List<ConsumerRecord<String, DatasetStats>> stats = TopicReader.readUntil(bootstrapServers, Topics.DATASET_STATS.name(),
                JsonSerde.of(DatasetStats.class), read -> latest(read).size() == 2
                        && latest(read).values().stream().mapToLong(DatasetStats::pairs).sum() == pairs, Duration.ofSeconds(60));
        assertEquals(train.size(), latest(stats).get(TokenizedPair.TRAIN).pairs());
    }

    private <V> List<V> all(String topic, Class<V> type) {
        return TopicReader.readAll(bootstrapServers, topic, JsonSerde.of(type)).stream().map(ConsumerRecord::value).toList();
    }

    private static Map<String, DatasetStats> latest(List<ConsumerRecord<String, DatasetStats>> records) {
        return records.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> b));
    }
}
