package dev.paper2code.tokenizer.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.DatasetStats;
import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.tokenization.TestTokenizers;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenizer.split.SplitAssigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTopologyTest {
    private static final TokenizerTopology.Endpoints TOPICS =
            new TokenizerTopology.Endpoints("pairs", "train", "val", "dead-letters", "stats");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private TruncatingTokenizer tokenizer;
    private final SplitAssigner splits = new SplitAssigner(0.3, "test");
    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    @BeforeEach
    void createTokenizer() {
        tokenizer = TestTokenizers.wordPiece(dir.resolve("tokenizer"), 16);
    }

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
        tokenizer.close();
    }

    private record Run(List<TokenizedPair> train, List<TokenizedPair> val, List<DeadLetter> deadLetters,
            Map<String, DatasetStats> stats, KeyValueStore<String, DatasetStats> store) {
    }

    private Run run(List<Map.Entry<String, byte[]>> input) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokenizer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + drivers.size()).toString());
        TopologyTestDriver driver = new TopologyTestDriver(TokenizerTopology.build(tokenizer, splits, TOPICS, CLOCK), props);
        drivers.add(driver);
        TestInputTopic<String, byte[]> pairs = driver.createInputTopic("pairs", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        input.forEach(e -> pairs.pipeInput(e.getKey(), e.getValue()));
        TestOutputTopic<String, TokenizedPair> train = driver.createOutputTopic("train", Serdes.String().deserializer(), JsonSerde.of(TokenizedPair.class));
        TestOutputTopic<String, TokenizedPair> val = driver.createOutputTopic("val", Serdes.String().deserializer(), JsonSerde.of(TokenizedPair.class));
        TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic("dead-letters", Serdes.String().deserializer(), JsonSerde.of(DeadLetter.class));
        TestOutputTopic<String, DatasetStats> stats = driver.createOutputTopic("stats", Serdes.String().deserializer(), JsonSerde.of(DatasetStats.class));
        return new Run(train.readValuesToList(), val.readValuesToList(), deadLetters.readValuesToList(),
                stats.readKeyValuesToMap(), driver.getKeyValueStore(TokenizerTopology.STATS_STORE));
    }

    private static Map.Entry<String, byte[]> pair(String paperId, String repository, String paperText, String codeText) {
        TextPair pair = new TextPair(paperId + "::" + repository, paperId, repository, paperText, codeText, "test");
        return Map.entry(pair.pairId(), JsonSerde.of(TextPair.class).serialize("pairs", pair));
    }

    private static List<Map.Entry<String, byte[]>> manyPairs(int papers) {
        List<Map.Entry<String, byte[]>> input = new ArrayList<>();
        for (int i = 0; i < papers; i++) {
            input.add(pair("p-" + i, "example/repo-" + i, "Contrastive retrieval paper " + i, "example/repo-" + i + "\nRouter kernels"));
            input.add(pair("p-" + i, "example/extra-" + i, "Contrastive retrieval paper " + i, "example/extra-" + i));
        }
        return input;
    }

    @Test
    void everyPairIsTokenizedAndRoutedByItsPaper() {
        Run run = run(manyPairs(40));

        assertEquals(80, run.train().size() + run.val().size());
        assertTrue(run.deadLetters().isEmpty(), run.deadLetters().toString());
        for (TokenizedPair pair : concat(run.train(), run.val())) {
            assertEquals(splits.splitOf(pair.paperId()), pair.split());
            assertEquals(tokenizer.fingerprint(), pair.tokenizerFingerprint());
            assertEquals(16, pair.maxLength());
            assertEquals(pair.paperInputIds().length, pair.paperAttentionMask().length);
            assertTrue(pair.paperInputIds().length <= 16);
        }
        assertTrue(run.train().stream().map(TokenizedPair::split).allMatch(TokenizedPair.TRAIN::equals));
        assertTrue(run.val().stream().map(TokenizedPair::split).allMatch(TokenizedPair.VAL::equals));
        Map<String, String> splitOfPaper = new HashMap<>();
        for (TokenizedPair pair : concat(run.train(), run.val())) {
            assertEquals(pair.split(), splitOfPaper.computeIfAbsent(pair.paperId(), id -> pair.split()),
                    "the pairs of paper " + pair.paperId() + " were split apart");
        }
        assertTrue(!run.val().isEmpty() && !run.train().isEmpty());
    }

    @Test
    void tokenIdsAreTheTokenizersOwn() {
        Run run = run(List.of(pair("p-1", "example/moe-router", "Token routing for experts", "example/moe-router")));

        TokenizedPair pair = concat(run.train(), run.val()).get(0);
        assertArrayEquals(tokenizer.encode("Token routing for experts").inputIds(), pair.paperInputIds());
        assertArrayEquals(tokenizer.encode("example/moe-router").inputIds(), pair.codeInputIds());
    }

    @Test
    void rerunningTheSameInputGivesIdenticalSplits() {
        Run first = run(manyPairs(30));
        Run second = run(manyPairs(30));

        assertEquals(ids(first.train()), ids(second.train()));
        assertEquals(ids(first.val()), ids(second.val()));
    }

    @Test
    void badRecordsBecomeDeadLettersAndTheStreamGoesOn() {
        List<Map.Entry<String, byte[]>> input = new ArrayList<>();
        input.add(Map.entry("k1", "{not json".getBytes(StandardCharsets.UTF_8)));
        input.add(new java.util.AbstractMap.SimpleEntry<>("k2", null)); // a tombstone for a key that is no pair id
        input.add(Map.entry("k3", "{\"paperText\": \"no ids\"}".getBytes(StandardCharsets.UTF_8)));
        input.add(pair("p-empty", "example/x", "", "example/x"));
        input.add(pair("p-nocode", "example/y", "Token routing", ""));
        // Issue 20.7: a pair under a key that is not its id was trained on as a second example.
        input.add(Map.entry("zzz-attacker-key", pair("p-0", "example/repo-0", "Contrastive retrieval paper 0",
                "example/repo-0\nRouter kernels").getValue()));
        input.addAll(manyPairs(5));

        Run run = run(input);

        assertEquals(List.of("UNREADABLE_PAIR", "EMPTY_RECORD", "UNREADABLE_PAIR", "EMPTY_PAPER_TOKENS", "EMPTY_CODE_TOKENS",
                        "KEY_MISMATCH"),
                run.deadLetters().stream().map(DeadLetter::reason).toList());
        assertTrue(run.deadLetters().get(5).detail().contains("'zzz-attacker-key' is not the pair's id 'p-0::example/repo-0'"));
        assertEquals(1, concat(run.train(), run.val()).stream().filter(p -> p.pairId().equals("p-0::example/repo-0")).count(),
                "one pair id, one training example");
        assertEquals("{not json", run.deadLetters().get(0).payload());
        assertTrue(run.deadLetters().stream().allMatch(d -> d.stage().equals("tokenizer") && d.source().startsWith("pairs-0@")));
        assertEquals(input.size(), run.train().size() + run.val().size() + run.deadLetters().size(),
                "records in must equal train + val + dead letters");
    }

    @Test
    void statisticsCoverTheLatestVersionOfEachPair() {
        List<Map.Entry<String, byte[]>> input = new ArrayList<>(manyPairs(20));
        String longText = "contrastive retrieval ".repeat(20);
        input.add(pair("p-0", "example/repo-0", longText, "example/repo-0"));

        Run run = run(input);

        DatasetStats train = run.store().get(TokenizedPair.TRAIN);
        DatasetStats val = run.store().get(TokenizedPair.VAL);
        long trainPairs = run.train().stream().map(TokenizedPair::pairId).distinct().count();
        long valPairs = run.val().stream().map(TokenizedPair::pairId).distinct().count();
        assertEquals(trainPairs, train.pairs());
        assertEquals(valPairs, val.pairs());
        assertEquals(40, train.pairs() + val.pairs(), "the updated pair counts once");
        assertEquals(1, train.paperTokens().truncated() + val.paperTokens().truncated());
        assertEquals(train.pairs(), java.util.Arrays.stream(train.paperTokens().bucketCounts()).sum());
        assertEquals(run.store().get(TokenizedPair.TRAIN).pairs(), run.stats().get(TokenizedPair.TRAIN).pairs(),
                "the stats topic carries the store's latest value");
        assertEquals(tokenizer.fingerprint(), train.tokenizerFingerprint());
    }

    private static List<TokenizedPair> concat(List<TokenizedPair> a, List<TokenizedPair> b) {
        List<TokenizedPair> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> ids(List<TokenizedPair> pairs) {
        return pairs.stream().map(TokenizedPair::pairId).toList();
    }

    /**
     * Issue 20.6: a tombstone on the pairs topic left the tokenized topics and the statistics untold, so the
     * trainer kept training on the pair. It now goes on, as a tombstone, to the split of the pair's paper,
     * and the statistics forget the pair.
     */
    @Test
    void aTombstoneIsPassedOnToThePairsSplitAndTheStatisticsForgetThePair() {
        List<Map.Entry<String, byte[]>> input = new ArrayList<>(manyPairs(20));
        String deleted = "p-3::example/repo-3";
        input.add(new java.util.AbstractMap.SimpleEntry<>(deleted, null));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokenizer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-deletes").toString());
        TopologyTestDriver driver = new TopologyTestDriver(TokenizerTopology.build(tokenizer, splits, TOPICS, CLOCK), props);
        drivers.add(driver);
        TestInputTopic<String, byte[]> pairs = driver.createInputTopic("pairs", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        input.forEach(e -> pairs.pipeInput(e.getKey(), e.getValue()));
        String split = splits.splitOf("p-3");
        TestOutputTopic<String, TokenizedPair> topic = driver.createOutputTopic(split.equals(TokenizedPair.VAL) ? "val" : "train",
                Serdes.String().deserializer(), JsonSerde.of(TokenizedPair.class));
        TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic("dead-letters", Serdes.String().deserializer(), JsonSerde.of(DeadLetter.class));
        List<org.apache.kafka.streams.KeyValue<String, TokenizedPair>> records = topic.readKeyValuesToList();

        org.apache.kafka.streams.KeyValue<String, TokenizedPair> last = records.get(records.size() - 1);
        assertEquals(deleted, last.key);
        assertEquals(null, last.value, "the delete is a tombstone on the pair's split");
        assertTrue(deadLetters.readValuesToList().isEmpty(), "a delete is no dead letter");
        DatasetStats stats = driver.<String, DatasetStats>getKeyValueStore(TokenizerTopology.STATS_STORE).get(split);
        long expected = records.stream().filter(r -> r.value != null).map(r -> r.key).distinct().count() - 1;
        assertEquals(expected, stats.pairs(), "the statistics no longer count the deleted pair");
    }
}
