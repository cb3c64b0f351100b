package dev.paper2code.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.EmbeddedKafkaResource;
import dev.paper2code.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The running parser-service against a real KRaft broker: the seed file it imports at start, the real
 * shared dataset and broken records published to the raw topic, and an entry published with kcat.
 * Every input is accounted for as a pair, an already-published skip, or a dead letter.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedKafkaResource.class, restrictToAnnotatedClass = true)
class ParserServiceTest {
    private static final Path SHARED_DATASET = Path.of("../../shared/data/paper_code_pairs.json");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void importsTheSeedFileAtStartAndAccountsForEveryLink() {
        Map<String, Object> data = awaitReady();
        assertEquals(7, ((Number) data.get("file.entries")).intValue());
        assertEquals(4, ((Number) data.get("file.pairsCreated")).intValue());
        assertEquals(2, ((Number) data.get("file.alreadyPublished")).intValue());
        assertEquals(4, ((Number) data.get("file.deadLettered")).intValue());

        List<TextPair> pairs = pairsWhere(p -> p.source().startsWith("file:quirks.json"), 4);
        assertEquals(Set.of("test-0001::example/contrastive-code", "test-0001::example/contrastive-code-lite",
                "test-0002::example/moe-router", "test-0005::example/half-linked"),
                pairs.stream().map(TextPair::pairId).collect(Collectors.toSet()));
        TextPair junkTitled = pairs.stream().filter(p -> p.paperId().equals("test-0002")).findFirst().orElseThrow();
        assertEquals("Token routing for sparse mixtures of experts.", junkTitled.paperText());
        assertEquals("example/moe-router\nRouter kernels\ntopics: moe, kernels", junkTitled.codeText());

        List<DeadLetter> letters = deadLettersFrom("file:quirks.json", 4);
        assertEquals(List.of("MISSING_PAPER_ID", "MISSING_REPOSITORY_NAME", "NO_PAPER_TEXT", "NO_REPOSITORIES"),
                letters.stream().map(DeadLetter::reason).sorted().toList());
        letters.forEach(letter -> {
            assertEquals("parser", letter.stage());
            assertFalse(letter.payload().isBlank());
        });
    }

    @Test
    void theRealDatasetAndBrokenRecordsThroughTheRawTopicAreAllAccountedFor() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(SHARED_DATASET), "shared dataset not found at " + SHARED_DATASET);
        awaitReady();
        JsonNode dataset = Json.MAPPER.readTree(SHARED_DATASET.toFile());
        Map<String, String> brokenRecords = new HashMap<>();
        brokenRecords.put("{\"paper\": {\"arxiv_id\": \"broken-1\"", "MALFORMED_JSON");
        brokenRecords.put("\"just a string\"", "NOT_AN_OBJECT");
        brokenRecords.put("{\"paper\": {\"arxiv_id\": \"broken-2\", \"title\": \"T\", \"abstract\": \"A\"}}", "NO_REPOSITORIES");
        brokenRecords.put("{\"paper\": {\"arxiv_id\": \"broken-3\", \"title\": \"T\"}, "
                + "\"repositories\": [{\"description\": \"no name\", \"stars\": 3}]}", "MISSING_REPOSITORY_NAME");
        brokenRecords.put("{\"repositories\": [{\"name\": \"a/b\"}]}", "MISSING_PAPER");
        brokenRecords.put("{\"paper\": {\"arxiv_id\": \"broken-4\", \"abstract\": \"A\"}, \"repositories\": 7}", "SCHEMA_MISMATCH");

        Set<String> expectedPairIds = new HashSet<>();
        int links = 0;
        try (KafkaProducer<String, String> producer = producer()) {
            for (JsonNode entry : dataset) {
                String arxivId = entry.path("paper").path("arxiv_id").asText();
                for (JsonNode repository : entry.path("repositories")) {
                    links++;
                    expectedPairIds.add(arxivId + "::" + repository.path("name").asText().toLowerCase(Locale.ROOT));
                }
                producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), arxivId, entry.toString()));
            }
            brokenRecords.keySet().forEach(raw -> producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), raw)));
        }
        int records = dataset.size() + brokenRecords.size();

        // Other tests publish to the raw topic too; this one counts only the pairs of the papers it sent.
        Set<String> paperIds = expectedPairIds.stream().map(id -> id.substring(0, id.indexOf("::")))
                .collect(Collectors.toSet());
        List<TextPair> pairs = pairsWhere(p -> paperIds.contains(p.paperId())
                && p.source().startsWith(Topics.RAW_ENTRIES.name() + "-"), expectedPairIds.size());
        Set<String> publishedIds = pairs.stream().map(TextPair::pairId).collect(Collectors.toSet());
        assertEquals(expectedPairIds.size(), pairs.size(), "a pair was published twice");
        assertTrue(publishedIds.equals(expectedPairIds), "missing: " + difference(expectedPairIds, publishedIds)
                + ", unexpected: " + difference(publishedIds, expectedPairIds));
        List<DeadLetter> letters = deadLettersFrom(Topics.RAW_ENTRIES.name() + "-", brokenRecords.size());
        assertEquals(brokenRecords.size(), letters.size());
        assertEquals(brokenRecords.values().stream().sorted().toList(),
                letters.stream().map(DeadLetter::reason).sorted().toList());
        assertTrue(letters.stream().anyMatch(l -> l.payload().equals("{\"paper\": {\"arxiv_id\": \"broken-1\"")),
                "the malformed record is dead-lettered verbatim");

        Awaitility.await().atMost(30, TimeUnit.SECONDS)
                .until(() -> ((Number) health().get("raw.entries")).intValue() >= records);
        int alreadyPublished = ((Number) health().get("raw.alreadyPublished")).intValue();
        assertEquals(links - expectedPairIds.size(), alreadyPublished, "repositories listed twice by one paper");
        // Each broken record is one outcome: five cannot be read as entries, one has a single nameless link.
        assertEquals(links + brokenRecords.size(), pairs.size() + letters.size() + alreadyPublished,
                "pairs + dead letters + skipped duplicates must equal the links and unreadable entries that went in");

        for (TextPair pair : pairs) {
            assertFalse(pair.paperText().contains("arXiv Query"), pair.pairId());
            assertFalse(pair.codeText().contains("null"), pair.pairId());
        }
    }

    @Test
    void anEntryPublishedWithKcatArrivesAsAPair() throws Exception {
        Assumptions.assumeTrue(kcatInstalled(), "kcat is not installed");
        awaitReady();
        String entry = "{\"paper\": {\"arxiv_id\": \"kcat-0001\", \"title\": \"Published From The Shell\","
                + " \"abstract\": \"An entry sent by a third-party Kafka client.\"},"
                + " \"repositories\": [{\"name\": \"example/kcat-demo\", \"description\": \"Demo\"}]}";
        Process kcat = new ProcessBuilder("kcat", "-P", "-b", bootstrapServers, "-t", Topics.RAW_ENTRIES.name())
                .redirectErrorStream(true).start();
        kcat.getOutputStream().write((entry + "\n").getBytes(StandardCharsets.UTF_8));
        kcat.getOutputStream().close();
        assertTrue(kcat.waitFor(30, TimeUnit.SECONDS), "kcat did not finish");
        assertEquals(0, kcat.exitValue(), new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        List<ConsumerRecord<String, TextPair>> records = TopicReader.readUntil(bootstrapServers, Topics.PAIRS.name(),
                JsonSerde.of(TextPair.class),
                read -> read.stream().anyMatch(r -> r.key().equals("kcat-0001::example/kcat-demo")),
                Duration.ofSeconds(30));
        TextPair pair = records.stream().map(ConsumerRecord::value)
                .filter(p -> p.pairId().equals("kcat-0001::example/kcat-demo")).findFirst().orElseThrow();
        assertEquals("Published From The Shell\nAn entry sent by a third-party Kafka client.", pair.paperText());
        assertEquals("example/kcat-demo\nDemo", pair.codeText());
    }

    private Map<String, Object> awaitReady() {
        return ParserProbe.awaitReady();
    }

    private Map<String, Object> health() {
        return ParserProbe.health();
    }

    private List<TextPair> pairsWhere(Predicate<TextPair> wanted, int expected) {
        return new ParserProbe(bootstrapServers).pairsWhere(wanted, expected);
    }

    private List<DeadLetter> deadLettersFrom(String sourcePrefix, int expected) {
        return new ParserProbe(bootstrapServers).deadLettersFrom(sourcePrefix, expected);
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> result = new HashSet<>(a);
        result.removeAll(b);
        return result;
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new StringSerializer());
    }

    private static boolean kcatInstalled() {
        try {
            return new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
