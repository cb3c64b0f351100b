package dev.paper2code.tokenizer.streams;

import dev.paper2code.tokenizer.topology.StreamsSettings;
import dev.paper2code.tokenizer.topology.TokenizerTopology;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenizer.TokenizerConfig;
import dev.paper2code.tokenizer.split.SplitAssigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jboss.logging.Logger;

/**
 * Runs the tokenizer topology in the Quarkus application's lifetime. At start, on its own thread: the
 * {@link TokenizerBootstrap} (pairs topic, output topics, tokenizer), then Kafka Streams with
 * exactly-once processing; at shutdown, closes both. The dataset statistics are queried by
 * {@link DatasetStatsQuery}.
 */
@ApplicationScoped
public class TokenizerStreams {
    private static final Logger LOG = Logger.getLogger(TokenizerStreams.class);

    @Inject
    TokenizerConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry meters;

    private volatile String phase = "starting";
    private volatile String failure;
    private volatile boolean stopping;
    private volatile KafkaStreams streams;
    private volatile TruncatingTokenizer tokenizer;
    private volatile TokenizerSnapshot snapshot;
    private Thread starter;

    void onStart(@Observes StartupEvent event) {
        starter = new Thread(this::start, "tokenizer-start");
        starter.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        starter.interrupt();
        starter.join(Duration.ofSeconds(10).toMillis());
        KafkaStreams running = streams;
        if (running != null) {
            running.close(Duration.ofSeconds(30));
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    /** A one-line description of what the service is doing, for health checks. */
    public String phase() {
        KafkaStreams running = streams;
        return running == null ? phase : running.state().name();
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    public boolean isRunning() {
        KafkaStreams running = streams;
        return running != null && running.state() == KafkaStreams.State.RUNNING;
    }

    public boolean hasFailed() {
        KafkaStreams running = streams;
        return failure != null || running != null && running.state() == KafkaStreams.State.ERROR;
    }

    public Optional<TruncatingTokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    public Optional<TokenizerSnapshot> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /** Kafka Streams once it is RUNNING; empty before (bootstrapping, rebalancing) and after. */
    public Optional<KafkaStreams> running() {
        KafkaStreams running = streams;
        return running != null && running.state() == KafkaStreams.State.RUNNING ? Optional.of(running) : Optional.empty();
    }

    private void start() {
        try {
            TokenizerConfig.TopicsConfig topics = config.topics();
            snapshot = new TokenizerBootstrap(config, kafkaConfig, now -> phase = now, () -> stopping).prepare();
            tokenizer = new TruncatingTokenizer(snapshot, config.maxLength());
            LOG.infof("Tokenizer from %s (%s), max length %d, fingerprint %s", snapshot.directory(), snapshot.format(),
                    config.maxLength(), tokenizer.fingerprint());

            KafkaStreams created = new KafkaStreams(TokenizerTopology.build(tokenizer,
                    new SplitAssigner(config.validationRatio(), config.splitSalt()),
                    new TokenizerTopology.Endpoints(topics.pairs(), topics.train(), topics.val(), topics.deadLetters(),
                            topics.stats()),
                    Clock.systemUTC()), streamsProperties());
            created.setUncaughtExceptionHandler(e -> {
                failure = "stream thread failed: " + e;
                LOG.error("Kafka Streams thread failed; the application stops processing", e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            created.setStateListener((newState, oldState) -> LOG.infof("Kafka Streams %s -> %s", oldState, newState));
            new KafkaStreamsMetrics(created).bindTo(meters);
            if (stopping) {
                return;
            }
            streams = created;
            created.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            failure = e.getMessage();
            LOG.errorf(e, "Tokenizer failed to start: %s", e.getMessage());
        }
    }

    private Properties streamsProperties() {
        return StreamsSettings.properties(kafkaConfig, config.applicationId(), config.stateDir(), config.streamThreads(),
                config.topics().replicationFactor(), config.commitInterval());
    }
}
