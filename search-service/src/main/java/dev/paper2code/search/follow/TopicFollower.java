package dev.paper2code.search.follow;

import dev.paper2code.contracts.CheckpointLayout;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.TopicTail;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.search.SearchConfig;
import dev.paper2code.search.index.SearchIndexes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One thread following three topics ({@link TopicTail}: no consumer group, every replica reads
 * everything): the pairs topic from the beginning (the corpus), the val topic from the beginning (which
 * papers the evaluation asks), and the progress topic from its end at start (promotions from now on).
 * Once the pairs and val topics are read up to where they ended at start, the champion already on disk
 * is indexed. A record that cannot be read is logged and skipped: nothing here can stop the stream.
 */
@ApplicationScoped
public class TopicFollower {
    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    private static final Duration TOPIC_RECHECK = Duration.ofSeconds(3);

    @Inject
    SearchConfig config;

    @Inject
    SearchIndexes indexes;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private volatile TopicTail tail;
    private Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    void start(@Observes StartupEvent ignored) {
        try {
            SearchIndexes.removeLeftoverIndexes(Path.of(config.indexRoot())).forEach(leftover ->
                    LOG.infof("Removed %s, an index a stopped search-service left", leftover));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not remove old indexes under %s: %s", config.indexRoot(), e.getMessage());
        }
        thread = new Thread(this::follow, "search-topic-follower");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        TopicTail current = tail;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the corpus has been read up to where the topics ended at start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void follow() {
        // Progress events from before start are history: the checkpoint they name is on disk already.
        try (TopicTail topics = TopicTail.open(kafkaConfig, List.of(config.topics().pairs(), config.topics().val(),
                config.topics().progress()), List.of(config.topics().progress()))) {
            tail = topics;
            while (running) {
                for (ConsumerRecord<String, byte[]> record : topics.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
                if (!caughtUp && topics.caughtUp()) {
                    caughtUp = true;
                    LOG.infof("Corpus read: %d pairs, %d repositories", indexes.corpus().pairCount(),
                            indexes.corpus().repositoryCount());
                    CheckpointLayout.champion(Path.of(config.checkpointRoot())).ifPresentOrElse(
                            champion -> indexes.rebuild(champion, "the champion at start", java.time.Instant.now()),
                            () -> LOG.infof("No champion under %s yet; search answers 503 until a run's model is promoted",
                                    config.checkpointRoot()));
                }
            }
        } catch (WakeupException e) {
            // stop() was called
        } catch (RuntimeException e) {
            LOG.error("The topic follower stopped", e);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            if (record.topic().equals(config.topics().pairs())) {
                if (record.key() != null) {
                    indexes.applyPair(record.key(), record.value() == null ? null
                            : Topics.PAIRS.deserializeValue(record.value()));
                }
            } else if (record.topic().equals(config.topics().val())) {
                TokenizedPair pair = record.value() == null ? null : Topics.TOKENIZED_VAL.deserializeValue(record.value());
                if (pair != null && pair.paperId() != null) {
                    indexes.addValPaper(pair.paperId());
                }
            } else if (record.value() != null) {
                TrainingEvent event = Topics.TRAINING_PROGRESS.deserializeValue(record.value());
                // Search serves the champion: a run's best model only once it won (MODEL_PROMOTED, whose path
                // is the champion link). A challenger that lost (MODEL_KEPT) is never served.
                if (event instanceof TrainingEvent.ModelPromoted promoted && promoted.path() != null) {
                    indexes.rebuild(Path.of(promoted.path()), "run " + promoted.runId() + " was promoted to champion",
                            promoted.at() != null ? promoted.at() : java.time.Instant.now());
                }
            }
        } catch (RuntimeException e) {
            // A malformed record (or an event type from a newer trainer) is skipped, not fatal.
            LOG.warnf("Skipped %s: %s", where, e.getMessage());
        }
    }

    private void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
