package dev.paper2code.search.follow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.CheckpointLayout;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.TextPair;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * One thread, one consumer without a group (every replica reads everything): the pairs topic from the
 * beginning (the corpus), the val topic from the beginning (which papers the evaluation asks), and the
 * progress topic from its end at start (best checkpoints saved from now on). Once the pairs and val
 * topics are read up to where they ended at start, the newest best checkpoint already on disk is
 * indexed. A record that cannot be read is logged and skipped: nothing here can stop the stream.
 * Topics that do not exist yet are looked for again every few seconds; through a broker outage the
 * consumer keeps polling and goes on where it was.
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

    private KafkaConsumer<String, byte[]> consumer;
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
        consumer = new KafkaConsumer<>(KafkaClients.scanConsumer(kafkaConfig), new StringDeserializer(),
                new ByteArrayDeserializer());
        thread = new Thread(this::follow, "search-topic-follower");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
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
        Set<TopicPartition> assigned = new HashSet<>();
        Map<TopicPartition, Long> startEnds = null;
        long nextTopicCheck = 0;
        boolean firstCheck = true;
        try {
            while (running) {
                if (System.nanoTime() >= nextTopicCheck) {
                    assignNewPartitions(assigned, firstCheck);
                    if (startEnds == null && !assigned.isEmpty()) {
                        startEnds = corpusEnds(assigned);
                    }
                    firstCheck = false;
                    nextTopicCheck = System.nanoTime() + TOPIC_RECHECK.toNanos();
                }
                if (assigned.isEmpty()) {
                    sleep();
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
                if (!caughtUp && startEnds != null && reached(startEnds)) {
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
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void assignNewPartitions(Set<TopicPartition> assigned, boolean atStart) {
        List<TopicPartition> fromBeginning = new ArrayList<>();
        List<TopicPartition> fromEnd = new ArrayList<>();
        for (String topic : List.of(config.topics().pairs(), config.topics().val(), config.topics().progress())) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debugf("Cannot list %s now: %s", topic, e.getMessage());
                continue;
            }
            for (PartitionInfo info : partitions == null ? List.<PartitionInfo>of() : partitions) {
                TopicPartition partition = new TopicPartition(topic, info.partition());
                if (!assigned.contains(partition)) {
                    // Progress events from before start are history: the checkpoint they name is on disk already.
                    boolean history = atStart && topic.equals(config.topics().progress());
                    (history ? fromEnd : fromBeginning).add(partition);
                }
            }
        }
        if (fromBeginning.isEmpty() && fromEnd.isEmpty()) {
            return;
        }
        assigned.addAll(fromBeginning);
        assigned.addAll(fromEnd);
        consumer.assign(assigned);
        consumer.seekToBeginning(fromBeginning);
        consumer.seekToEnd(fromEnd);
        LOG.infof("Following %s", assigned);
    }

    private Map<TopicPartition, Long> corpusEnds(Set<TopicPartition> assigned) {
        List<TopicPartition> corpus = assigned.stream()
                .filter(p -> !p.topic().equals(config.topics().progress())).toList();
        return new HashMap<>(consumer.endOffsets(corpus));
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            if (record.topic().equals(config.topics().pairs())) {
                if (record.key() != null) {
                    indexes.applyPair(record.key(), record.value() == null ? null
                            : Json.MAPPER.readValue(record.value(), TextPair.class));
                }
            } else if (record.topic().equals(config.topics().val())) {
                JsonNode paperId = record.value() == null ? null : Json.MAPPER.readTree(record.value()).get("paperId");
                if (paperId != null && paperId.isTextual()) {
                    indexes.addValPaper(paperId.asText());
                }
            } else if (record.value() != null) {
                TrainingEvent event = Json.MAPPER.readValue(record.value(), TrainingEvent.class);
                // Search serves the champion: a run's best model only once it won (MODEL_PROMOTED, whose path
                // is the champion link). A challenger that lost (MODEL_KEPT) is never served.
                if (event instanceof TrainingEvent.ModelPromoted promoted && promoted.path() != null) {
                    indexes.rebuild(Path.of(promoted.path()), "run " + promoted.runId() + " was promoted to champion",
                            promoted.at() != null ? promoted.at() : java.time.Instant.now());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
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
