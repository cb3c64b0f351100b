package dev.paper2code.tokenizer.topology;

import dev.paper2code.contracts.DatasetStats;
import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.Topic;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenizer.split.SplitAssigner;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * pairs → tokenize → train | val | dead letters, and per-split dataset statistics over the latest
 * version of every pair:
 *
 * <pre>
 * paper2code.pairs ──tokenize──┬─ dead letter ─────────────> paper2code.dead-letters
 *                              ├─ split = val ─────────────> paper2code.tokenized.val   (a tombstone: a delete)
 *                              ├─ split = train ───────────> paper2code.tokenized.train (a tombstone: a delete)
 *                              └─ table by pair id ─ group by split ─ aggregate ─> paper2code.dataset-stats
 * </pre>
 */
public final class TokenizerTopology {
    /** Queryable store: split name to {@link DatasetStats}. */
    public static final String STATS_STORE = "dataset-stats";

    /** The topic names this instance uses; their serdes come from the typed {@link dev.paper2code.contracts.Topics}. */
    public record Endpoints(String pairs, String train, String val, String deadLetters, String stats) {
    }

    private TokenizerTopology() {
    }

    public static Topology build(TruncatingTokenizer tokenizer, SplitAssigner splits, Endpoints topics, Clock clock) {
        Topic<String, byte[]> pairs = Topic.of(topics.pairs(), Serdes.String(), Serdes.ByteArray());
        Topic<String, TokenizedPair> train = dev.paper2code.contracts.Topics.TOKENIZED_TRAIN.named(topics.train());
        Topic<String, TokenizedPair> val = dev.paper2code.contracts.Topics.TOKENIZED_VAL.named(topics.val());
        Topic<String, DeadLetter> deadLetters = dev.paper2code.contracts.Topics.DEAD_LETTERS.named(topics.deadLetters());
        Topic<String, DatasetStats> stats = dev.paper2code.contracts.Topics.DATASET_STATS.named(topics.stats());
        JsonSerde<PairSummary> summarySerde = JsonSerde.of(PairSummary.class);

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, TokenizeResult> results = builder
                .stream(pairs.name(), Consumed.with(pairs.keySerde(), pairs.valueSerde()).withName("pairs"))
                .processValues(() -> new TokenizeProcessor(tokenizer, splits, clock), Named.as("tokenize"));

        Map<String, KStream<String, TokenizeResult>> routes = results.split(Named.as("route-"))
                .branch((key, result) -> result.deadLetter() != null, Branched.as("dead-letter"))
                .branch((key, result) -> TokenizedPair.VAL.equals(result.split()), Branched.as("val"))
                .defaultBranch(Branched.as("train"));
        routes.get("route-dead-letter")
                .map((key, result) -> KeyValue.pair(result.deadLetter().key(), result.deadLetter()), Named.as("dead-letter-key"))
                .to(deadLetters.name(), Produced.with(deadLetters.keySerde(), deadLetters.valueSerde()));
        routes.get("route-val").mapValues(TokenizeResult::pair)
                .to(val.name(), Produced.with(val.keySerde(), val.valueSerde()));
        routes.get("route-train").mapValues(TokenizeResult::pair)
                .to(train.name(), Produced.with(train.keySerde(), train.valueSerde()));

        // Deletes reach the table as null values: the row goes, and the aggregate subtracts it.
        results.filter((key, result) -> result.deadLetter() == null, Named.as("tokenized"))
                .mapValues(result -> result.pair() == null ? null : PairSummary.of(result.pair()), Named.as("summarize"))
                .toTable(Named.as("latest-pair"), Materialized.<String, PairSummary, KeyValueStore<Bytes, byte[]>>as("latest-pair")
                        .withKeySerde(Serdes.String()).withValueSerde(summarySerde))
                .groupBy((pairId, summary) -> KeyValue.pair(summary.split(), summary),
                        Grouped.with("by-split", Serdes.String(), summarySerde))
                .aggregate(() -> null, DatasetStatsAggregation::add, DatasetStatsAggregation::remove,
                        Materialized.<String, DatasetStats, KeyValueStore<Bytes, byte[]>>as(STATS_STORE)
                                .withKeySerde(stats.keySerde()).withValueSerde(stats.valueSerde()))
                .toStream(Named.as("stats-changes"))
                .to(stats.name(), Produced.with(stats.keySerde(), stats.valueSerde()));
        return builder.build();
    }
}
