package dev.paper2code.tokenizer.streams;

import dev.paper2code.tokenizer.topology.TokenizerTopology;
import dev.paper2code.contracts.DatasetStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Interactive query of the topology's {@link TokenizerTopology#STATS_STORE}: each split's current statistics. */
@ApplicationScoped
public class DatasetStatsQuery {
    @Inject
    TokenizerStreams streams;

    /** @throws IllegalStateException while the stream is not running yet */
    public Map<String, DatasetStats> datasetStats() {
        KafkaStreams running = streams.running()
                .orElseThrow(() -> new IllegalStateException("the stream is not running yet: " + streams.phase()));
        ReadOnlyKeyValueStore<String, DatasetStats> store = running.store(
                StoreQueryParameters.fromNameAndType(TokenizerTopology.STATS_STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, DatasetStats> stats = new HashMap<>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> stats.put(kv.key, kv.value));
        }
        return stats;
    }
}
