package dev.paper2code.parser;

import static io.restassured.RestAssured.given;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.Awaitility;

/** What the parser tests look at: its health over REST, its output topics on the broker. */
final class ParserProbe {
    private final String bootstrapServers;

    ParserProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    static Map<String, Object> awaitReady() {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        return health();
    }

    static Map<String, Object> health() {
        return given().get("/q/health").jsonPath().getMap("checks.find { it.name == 'parser-worker' }.data");
    }

    List<TextPair> pairsWhere(Predicate<TextPair> wanted, int expected) {
        return readWhere(Topics.PAIRS.name(), JsonSerde.of(TextPair.class), wanted, expected);
    }

    List<DeadLetter> deadLettersFrom(String sourcePrefix, int expected) {
        return readWhere(Topics.DEAD_LETTERS.name(), JsonSerde.of(DeadLetter.class),
                d -> d.source().startsWith(sourcePrefix), expected);
    }

    /** Reads the topic until {@code expected} wanted records arrived, then a moment more to catch extras. */
    <V> List<V> readWhere(String topic, Deserializer<V> deserializer, Predicate<V> wanted, int expected) {
        long[] settledAt = {0};
        List<ConsumerRecord<String, V>> read = TopicReader.readUntil(bootstrapServers, topic, deserializer, records -> {
            if (records.stream().map(ConsumerRecord::value).filter(java.util.Objects::nonNull).filter(wanted).count() < expected) {
                return false;
            }
            if (settledAt[0] == 0) {
                settledAt[0] = System.nanoTime();
            }
            return System.nanoTime() - settledAt[0] > Duration.ofSeconds(1).toNanos();
        }, Duration.ofSeconds(60));
        return read.stream().map(ConsumerRecord::value).filter(java.util.Objects::nonNull).filter(wanted).toList(); // tombstones (deletes) are no records to match
    }
}
