package dev.paper2code.tokenizer.streams;

import dev.paper2code.contracts.DatasetStats;
import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
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
 *                              ├─ split = val ─────────────> paper2code.tokenized.val
 *                              ├─ split = train ───────────> paper2code.tokenized.train
 *                              └─ table by pair id ─ group by split ─ aggregate ─> paper2code.dataset-stats
 * </pre>
 */
public final class TokenizerTopology {
    /** Queryable store: split name to {@link DatasetStats}. */
    public static final String STATS_STORE = "dataset-stats";

    public record Topics(String pairs, String train, String val, String deadLetters, String stats) {
    }

    private TokenizerTopology() {
    }

    public static Topology build(TruncatingTokenizer tokenizer, SplitAssigner splits, Topics topics, Clock clock) {
        JsonSerde<TokenizedPair> tokenizedSerde = JsonSerde.of(TokenizedPair.class);
        JsonSerde<PairSummary> summarySerde = JsonSerde.of(PairSummary.class);
        JsonSerde<DatasetStats> statsSerde = JsonSerde.of(DatasetStats.class);

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, TokenizeResult> results = builder
                .stream(topics.pairs(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("pairs"))
                .processValues(() -> new TokenizeProcessor(tokenizer, splits, clock), Named.as("tokenize"));

        Map<String, KStream<String, TokenizeResult>> routes = results.split(Named.as("route-"))
                .branch((key, result) -> result.deadLetter() != null, Branched.as("dead-letter"))
                .branch((key, result) -> TokenizedPair.VAL.equals(result.pair().split()), Branched.as("val"))
                .defaultBranch(Branched.as("train"));
        routes.get("route-dead-letter")
                .map((key, result) -> KeyValue.pair(result.deadLetter().key(), result.deadLetter()), Named.as("dead-letter-key"))
                .to(topics.deadLetters(), Produced.with(Serdes.String(), JsonSerde.of(DeadLetter.class)));
        routes.get("route-val").mapValues(TokenizeResult::pair)
                .to(topics.val(), Produced.with(Serdes.String(), tokenizedSerde));
        routes.get("route-train").mapValues(TokenizeResult::pair)
                .to(topics.train(), Produced.with(Serdes.String(), tokenizedSerde));

        results.filter((key, result) -> result.pair() != null, Named.as("tokenized"))
                .mapValues(result -> PairSummary.of(result.pair()), Named.as("summarize"))
                .toTable(Named.as("latest-pair"), Materialized.<String, PairSummary, KeyValueStore<Bytes, byte[]>>as("latest-pair")
                        .withKeySerde(Serdes.String()).withValueSerde(summarySerde))
                .groupBy((pairId, summary) -> KeyValue.pair(summary.split(), summary),
                        Grouped.with("by-split", Serdes.String(), summarySerde))
                .aggregate(() -> null, DatasetStatsAggregation::add, DatasetStatsAggregation::remove,
                        Materialized.<String, DatasetStats, KeyValueStore<Bytes, byte[]>>as(STATS_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(statsSerde))
                .toStream(Named.as("stats-changes"))
                .to(topics.stats(), Produced.with(Serdes.String(), statsSerde));
        return builder.build();
    }
}
