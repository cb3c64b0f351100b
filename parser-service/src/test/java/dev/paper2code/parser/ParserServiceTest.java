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
        TextPair pair = records.stream().map(ConsumerRecord::value).filter(java.util.Objects::nonNull)
                .filter(p -> p.pairId().equals("kcat-0001::example/kcat-demo")).findFirst().orElseThrow();
        assertEquals("Published From The Shell\nAn entry sent by a third-party Kafka client.", pair.paperText());
        assertEquals("example/kcat-demo\nDemo", pair.codeText());
    }

    /**
     * Issue 20, items 1, 2, 5 and 8 end to end on the broker: a 100 KB repository name, a javascript: and
     * a data: URL, two names with unpaired surrogates and a duplicate key come through the raw topic as
     * dead letters with their reasons, and their sibling repositories as pairs; the parser goes on.
     */
    @Test
    void hostileEntriesThroughTheRawTopicBecomeDeadLettersWithReasonsAndTheirSiblingsPairs() throws Exception {
        awaitReady();
        String hostile = "{\"paper\": {\"arxiv_id\": \"9902.00007\", \"title\": \"Hostile entry\"}, \"repositories\": ["
                + "{\"name\": \"a/" + "x".repeat(100_000) + "\"},"
                + "{\"name\": \"evil/js\", \"url\": \"javascript:fetch('/runs',{method:'POST',body:'{}'})\"},"
                + "{\"name\": \"evil/data\", \"url\": \"data:text/html,<script>alert(1)</script>\"},"
                + "{\"name\": \"uni/lone\\udc00name\"}, {\"name\": \"uni/lone\\udc01name\"},"
                + "{\"name\": \"good/sibling\", \"url\": \"https://github.com/good/sibling\"}]}";
        String duplicateKey = "{\"paper\": {\"arxiv_id\": \"9902.00008\", \"title\": \"A\", \"title\": \"B\"},"
                + " \"repositories\": [{\"name\": \"dup/key\"}]}";
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), "9902.00007", hostile)).get();
            producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), "9902.00008", duplicateKey)).get();
        }
        List<TextPair> pairs = pairsWhere(p -> p.paperId().startsWith("9902.0000"), 1);
        assertEquals(List.of("9902.00007::good/sibling"), pairs.stream().map(TextPair::pairId).toList());
        List<DeadLetter> letters = new ParserProbe(bootstrapServers).readWhere(Topics.DEAD_LETTERS.name(),
                JsonSerde.of(DeadLetter.class), d -> d.detail() != null
                        && (d.detail().contains("9902.00007") || d.detail().contains("'title'")), 6);
        java.util.Map<String, Long> reasons = new java.util.TreeMap<>();
        letters.forEach(d -> reasons.merge(d.reason(), 1L, Long::sum));
        assertEquals(java.util.Map.of("FIELD_TOO_LONG", 1L, "INVALID_URL", 2L, "INVALID_TEXT", 2L, "MALFORMED_JSON", 1L),
                reasons, letters.toString());
        assertEquals("CONSUMING", health().get("state"), "the parser goes on");
    }

    /**
     * Issue 20.6: a tombstoned pair could never be published again (the parser's index ignored
     * tombstones). A delete by the pair's key makes the running parser forget it, and the same entry
     * published again brings the pair back.
     */
    @Test
    void aDeletedPairComesBackWhenItsEntryIsPublishedAgain() throws Exception {
        awaitReady();
        String key = "del-0001::example/deleted";
        String entry = "{\"paper\": {\"arxiv_id\": \"del-0001\", \"title\": \"Deleted then back\"},"
                + " \"repositories\": [{\"name\": \"example/deleted\"}]}";
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), "del-0001", entry)).get();
        }
        awaitPairRecords(key, 1);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.PAIRS.name(), key, null)).get();
        }
        awaitPairRecords(key, 2); // the pair, the tombstone
        // The worker polls for deletes between raw batches (every 500 ms at most); then publish again.
        Thread.sleep(2_000);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), "del-0001", entry)).get();
        }
        List<ConsumerRecord<String, TextPair>> records = awaitPairRecords(key, 3);
        assertEquals(null, records.get(1).value(), "the delete");
        assertEquals(key, records.get(2).value().pairId(), "the pair is back after its delete");
    }

    /** Every record of the pairs topic under {@code key}, once there are {@code count}. */
    private List<ConsumerRecord<String, TextPair>> awaitPairRecords(String key, int count) {
        return TopicReader.readUntil(bootstrapServers, Topics.PAIRS.name(), JsonSerde.of(TextPair.class),
                read -> read.stream().filter(r -> r.key().equals(key)).count() >= count, Duration.ofSeconds(30))
                .stream().filter(r -> r.key().equals(key)).toList();
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
