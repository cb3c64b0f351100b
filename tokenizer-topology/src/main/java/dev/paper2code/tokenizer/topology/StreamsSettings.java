package dev.paper2code.tokenizer.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration of one tokenizer instance, declared once for the service, its tests
 * and the benchmark: exactly-once v2, the pairs topic read from its beginning. Instances with the same
 * application id share the work by partition (each needs a state directory of its own).
 */
public final class StreamsSettings {
    /**
     * How often a transaction commits. Kafka Streams' default under exactly-once is 100 ms; 1 s carried
     * 31% more pairs per second through one instance on 2 cores (1,113 vs 850 pairs/s, docs/BENCHMARKS.md),
     * and a pair then reaches the tokenized topics within about a second, which training, a batch job,
     * does not notice.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

    private StreamsSettings() {
    }

    public static Properties properties(Map<String, Object> kafkaConfig, String applicationId, Path stateDir,
            int streamThreads, short replicationFactor, Duration commitInterval) {
        Properties props = new Properties();
        props.putAll(kafkaConfig);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The topology catches its own processing errors; this only opts in to the handler's coming default.
        props.put("processing.exception.handler.global.enabled", true);
        return props;
    }
}
