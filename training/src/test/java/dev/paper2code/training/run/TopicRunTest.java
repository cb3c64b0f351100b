package dev.paper2code.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.paper2code.training.run.RunEvents.ofType;
import static dev.paper2code.training.run.RunEvents.started;
import static dev.paper2code.training.run.RunEvents.startedModel;

import ai.djl.Device;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.training.SyntheticPairs;
import dev.paper2code.training.settings.RunSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs over tokenized topics on a real KRaft broker: what only a topic has (a pair republished at a
 * later offset, a tombstone, bytes that are no tokenized pair, records named by partition and offset).
 * The loop itself is tested on pairs in memory ({@link TrainingRunTest}).
 */
class TopicRunTest {
    private static final String TRAIN = "it.tokenized.train";
    private static final String VAL = "it.tokenized.val";

    static EmbeddedKafkaCluster kafka;
    static SyntheticPairs data;

    @TempDir
    static Path shared;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(3, TRAIN, VAL);
        data = new SyntheticPairs(shared, 60);
        data.publish(kafka.bootstrapServers(), TRAIN, VAL);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private RunSettings settings(int epochs, Path checkpoints) {
        return data.runSettings(epochs, checkpoints, TRAIN, VAL);
    }

    private TrainingRun run(String id, RunSettings settings) {
        return TrainingRun.overTopics(id, TrainingConfig.of(settings).logEvery(5),
                Map.of("bootstrap.servers", kafka.bootstrapServers()), Device.cpu());
    }

    /** Records a hand or another tool put on the train topic, one per way the issue found to break a run. */
    private static List<byte[]> invalidRecords() {
        TokenizedPair valid = data.train.get(0);
        int[] ids = valid.paperInputIds();
        int[] mask = valid.paperAttentionMask();
        java.util.function.BiFunction<int[], int[], byte[]> withPaper = (paperIds, paperMask) ->
                Topics.TOKENIZED_TRAIN.serializeValue(new TokenizedPair("bad::" + paperIds.length + "-" + paperMask.length,
                        "bad-paper", "bad/repo", TokenizedPair.TRAIN, paperIds, paperMask, false, valid.codeInputIds(),
                        valid.codeAttentionMask(), false, valid.tokenizerFingerprint(), valid.maxLength()));
        int[] outOfVocabulary = ids.clone();
        outOfVocabulary[1] = 1_000_000;
        return List.of(
                "{\"foo\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                withPaper.apply(outOfVocabulary, mask),
                withPaper.apply(new int[100_000], new int[100_000]),
                withPaper.apply(new int[0], new int[0]),
                withPaper.apply(ids, java.util.Arrays.copyOf(mask, mask.length - 1)),
                withPaper.apply(new int[600], new int[600]));
    }

    private static void publishWithInvalidRecords(String train, String val) {
        kafka.createTopics(3, train, val);
        data.publish(kafka.bootstrapServers(), train, val);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (byte[] record : invalidRecords()) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(train, "bad", record));
            }
        }
    }

    /**
     * Issue 10.8: a pair republished with changed text left both versions on the tokenized topic and
     * the trainer read both. Only the newest version of each pair id is trained on now.
     */
    @Test
    void aRepublishedPairIsTrainedOnInItsNewestVersionOnly() {
        kafka.createTopics(3, "it.versions.train", "it.versions.val");
        data.publish(kafka.bootstrapServers(), "it.versions.train", "it.versions.val");
        TokenizedPair original = data.train.get(0);
        TokenizedPair changed = new TokenizedPair(original.pairId(), original.paperId(), original.repository(),
                original.split(), original.codeInputIds(), original.codeAttentionMask(), false, original.paperInputIds(),
                original.paperAttentionMask(), false, original.tokenizerFingerprint(), original.maxLength());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("it.versions.train", changed.pairId(),
                    Topics.TOKENIZED_TRAIN.serializeValue(changed)));
        }
        List<TrainingEvent> events = new ArrayList<>();
        TrainingRun run = run("versions", settings(1, tempDir.resolve("versions"))
                .with(Map.of("train_topic", "it.versions.train", "val_topic", "it.versions.val"))).onEvent(events::add);

        run.run();

        assertEquals(TrainingRun.State.FINISHED, run.state(), String.valueOf(run.status().failure()));
        assertEquals(data.train.size(), run.history().get(0).trainPairs() + run.history().get(0).leftOutPairs(),
                "one version of every pair");
        assertEquals(1L, ((Number) started(events).config().get("superseded_records")).longValue());
        assertEquals((long) data.train.size(), ((Number) started(events).config().get("train_pairs")).longValue());
    }

    /**
     * Issue 20.6: a deleted pair (a tombstone, as the tokenizer now passes on from the pairs topic) is
     * no longer trained on, leaves the counts, and is no invalid record.
     */
    @Test
    void aDeletedPairIsNotTrainedOnAndIsNoInvalidRecord() {
        kafka.createTopics(3, "it.deletes.train", "it.deletes.val");
        data.publish(kafka.bootstrapServers(), "it.deletes.train", "it.deletes.val");
        TokenizedPair deleted = data.train.get(0);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("it.deletes.train", deleted.pairId(), null));
        }
        List<TrainingEvent> events = new ArrayList<>();
        TrainingRun run = run("deletes", settings(1, tempDir.resolve("deletes"))
                .with(Map.of("train_topic", "it.deletes.train", "val_topic", "it.deletes.val"))).onEvent(events::add);

        run.run();

        assertEquals(TrainingRun.State.FINISHED, run.state(), String.valueOf(run.status().failure()));
        assertEquals(data.train.size() - 1, run.history().get(0).trainPairs(), "every pair but the deleted one");
        assertEquals((long) data.train.size() - 1, ((Number) started(events).config().get("train_pairs")).longValue());
        assertTrue(events.stream().noneMatch(e -> e.type() == TrainingEvent.Type.RECORDS_SKIPPED),
                "a delete is not an invalid record: " + events);
    }

    /**
     * Issue 10.3: such records failed every run ("pair null has fingerprint null", "index out of range
     * in self" at some step), tried to allocate 1.28 TB, trained on nothing, or resized the model. Each
     * is now left out before it reaches a batch, counted by reason and announced in RECORDS_SKIPPED.
     */
    @Test
    void invalidRecordsAreSkippedCountedAndAnnouncedAndTheRunTrainsOnTheRest() {
        publishWithInvalidRecords("it.invalid.train", "it.invalid.val");
        List<TrainingEvent> events = new ArrayList<>();
        TrainingRun run = run("invalid", settings(2, tempDir.resolve("invalid"))
                .with(Map.of("train_topic", "it.invalid.train", "val_topic", "it.invalid.val"))).onEvent(events::add);
        List<TrainingEvent> cleanEvents = new ArrayList<>();
        TrainingRun clean = run("clean", settings(1, tempDir.resolve("clean"))).onEvent(cleanEvents::add);

        run.run();
        clean.run();

        assertEquals(TrainingRun.State.FINISHED, run.state(), String.valueOf(run.status().failure()));
        assertEquals(data.train.size(), run.history().get(1).trainPairs() + run.history().get(1).leftOutPairs(),
                "only the valid pairs are trained on");
        TrainingEvent.RecordsSkipped skipped = ofType(events, TrainingEvent.RecordsSkipped.class).stream()
                .findFirst().orElseThrow();
        assertEquals(6.0, skipped.counts().get("skipped"));
        Map<String, Double> byReason = new HashMap<>(skipped.counts());
        byReason.keySet().removeAll(List.of("skipped", "read"));
        assertEquals(Map.of("MISSING_ID", 1.0, "ID_OUT_OF_VOCABULARY", 1.0, "TOO_LONG", 2.0, "EMPTY_IDS", 1.0,
                "MASK_MISMATCH", 1.0), byReason);
        assertTrue(skipped.examples().contains("it.invalid.train-"), "records are named by topic-partition@offset: "
                + skipped.examples());
        assertEquals(startedModel(cleanEvents), startedModel(events), "a 600-id record does not resize the model");
    }

    @Test
    void aRunFailsWhenMoreThanTheAllowedShareOfRecordsIsInvalid() {
        publishWithInvalidRecords("it.mostly.train", "it.mostly.val");
        TrainingRun run = run("strict", settings(1, tempDir.resolve("strict"))
                .with(Map.of("train_topic", "it.mostly.train", "val_topic", "it.mostly.val", "max_invalid_share", 0.01)));

        run.run();

        assertEquals(TrainingRun.State.FAILED, run.state());
        assertTrue(run.status().failure().contains("6 of") && run.status().failure().contains("max_invalid_share"),
                run.status().failure());
    }
}
