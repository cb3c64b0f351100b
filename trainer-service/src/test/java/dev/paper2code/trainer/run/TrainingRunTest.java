package dev.paper2code.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.trainer.SyntheticPairs;
import dev.paper2code.trainer.checkpoint.CheckpointStore;
import dev.paper2code.trainer.history.TrainingCurvesSvg;
import dev.paper2code.trainer.history.EpochResult;
import dev.paper2code.trainer.settings.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training runs against a real KRaft broker holding tokenized topics. */
class TrainingRunTest {
    private static final String TRAIN = "it.tokenized.train";
    private static final String VAL = "it.tokenized.val";

    static EmbeddedKafkaCluster kafka;
    static SyntheticPairs data;

    @TempDir
    static Path shared;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void publishDataset() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(3, TRAIN, VAL);
        data = new SyntheticPairs(shared, 60);
        data.publish(kafka.bootstrapServers(), TRAIN, VAL);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private RunSettings settings(int epochs, Path checkpoints, String resumeFrom) {
        Map<String, Object> values = new HashMap<>(Map.of("batch_size", 8, "num_epochs", epochs, "learning_rate", 1e-3,
                "checkpoint_dir", checkpoints.toString(), "tokenizer_path", data.tokenizerPath.toString(),
                "train_topic", TRAIN, "val_topic", VAL));
        values.put("resume_from", resumeFrom);
        return RunSettings.defaults().with(values);
    }

    private TrainingRun run(String id, RunSettings settings) {
        return new TrainingRun(id, settings, Map.of("bootstrap.servers", kafka.bootstrapServers()), 5, Device.cpu(),
                null);
    }

    @Test
    void validationLossDropsAndRecallAtOneBeatsChance() throws Exception {
        Path checkpoints = tempDir.resolve("checkpoints");
        TrainingRun run = run("learn", settings(4, checkpoints, null));
        run.run();

        assertEquals(TrainingRun.State.FINISHED, run.state(), String.valueOf(run.status().failure()));
        List<EpochResult> history = run.history();
        assertEquals(4, history.size());
        EpochResult first = history.get(0);
        EpochResult last = history.get(3);
        assertTrue(last.valLoss() < first.valLoss(), "val loss " + first.valLoss() + " -> " + last.valLoss());
        long distinctValRepositories = data.val.stream().map(p -> p.repository()).distinct().count();
        double chance = 1.0 / distinctValRepositories;
        // Papers and repositories share no words, so only what was learned from the train split helps.
        assertTrue(last.metric("recall@1") > 3 * chance,
                "recall@1 " + last.metric("recall@1") + " vs chance " + chance);
        assertTrue(last.metric("recall@1") > first.metric("recall@1"),
                "recall@1 " + first.metric("recall@1") + " -> " + last.metric("recall@1"));
        // 49 pairs in batches of 8 without repeats: a pair that would train alone (loss 0) is left out, counted.
        assertEquals(data.train.size(), last.trainPairs() + last.leftOutPairs(), "every train pair is used once per epoch");
        assertTrue(last.leftOutPairs() <= 1, "only a lone last pair is left out: " + last.leftOutPairs());
        assertEquals(data.val.size(), last.valPairs());

        Path runDirectory = checkpoints.resolve("learn"); // each run writes under its own id
        for (Path checkpoint : List.of(checkpoints.resolve("best_model"), runDirectory.resolve("checkpoint_epoch_1"),
                runDirectory.resolve("checkpoint_epoch_4"))) {
            assertTrue(Files.isRegularFile(checkpoint.resolve(CheckpointStore.CHECKSUMS)), checkpoint.toString());
            CheckpointStore.verifyAndRead(checkpoint);
        }
        assertTrue(Files.isRegularFile(checkpoints.resolve("best_model/tokenizer/tokenizer.json")));
        assertTrue(Files.isRegularFile(runDirectory.resolve(CheckpointStore.HISTORY_FILE)));
        String curves = Files.readString(runDirectory.resolve(TrainingCurvesSvg.FILE_NAME));
        assertTrue(curves.contains("data-series=\"val loss\""), "the run's curves next to its history");
        String epochFourCurves = Files.readString(runDirectory.resolve("checkpoint_epoch_4").resolve(TrainingCurvesSvg.FILE_NAME));
        assertEquals(4, epochFourCurves.split("<title>train loss, epoch").length - 1,
                "each checkpoint draws the epochs up to its own (sealed with it)");
    }

    /** With hard negatives too (issue 24.4): they are mined from the model at each epoch's start, so a resumed run mines the same. */
    @org.junit.jupiter.params.ParameterizedTest(name = "hard_negatives {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 2})
    void aRunStoppedAfterEpochOneAndResumedEndsWithTheSameHistoryAsAnUninterruptedRun(int hardNegatives) throws Exception {
        Map<String, Object> negatives = Map.of("hard_negatives", hardNegatives);
        TrainingRun uninterrupted = run("whole", settings(3, tempDir.resolve("whole"), null).with(negatives));
        uninterrupted.run();
        assertEquals(TrainingRun.State.FINISHED, uninterrupted.state(), String.valueOf(uninterrupted.status().failure()));

        Path interrupted = tempDir.resolve("interrupted");
        TrainingRun first = run("first", settings(3, interrupted, null).with(negatives));
        first.onEvent(event -> {
            if (event instanceof TrainingEvent.CheckpointSaved saved && saved.epoch() == 1) {
                first.requestStop();
            }
        });
        first.run();
        assertEquals(TrainingRun.State.STOPPED, first.state());
        assertEquals(1, first.history().size());
        // Search serves only the champion: a run a user stopped offers its best epoch, and with no
        // champion yet it becomes one (a stopped first run left nothing to serve).
        assertEquals(interrupted.resolve("first").resolve(CheckpointStore.BEST).toRealPath(),
                interrupted.resolve(dev.paper2code.contracts.CheckpointLayout.CHAMPION).toRealPath());

        TrainingRun resumed = run("resumed", settings(3, interrupted,
                interrupted.resolve("first").resolve(CheckpointStore.epochName(1)).toString()).with(negatives));
        resumed.run();
        assertEquals(TrainingRun.State.FINISHED, resumed.state(), String.valueOf(resumed.status().failure()));

        List<EpochResult> expected = uninterrupted.history();
        List<EpochResult> actual = resumed.history();
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).step(), actual.get(i).step(), "step after epoch " + (i + 1));
            assertEquals(expected.get(i).trainLoss(), actual.get(i).trainLoss(), 1e-5, "train loss, epoch " + (i + 1));
            assertEquals(expected.get(i).valLoss(), actual.get(i).valLoss(), 1e-5, "val loss, epoch " + (i + 1));
            for (String metric : expected.get(i).metrics().keySet()) {
                assertEquals(expected.get(i).metric(metric), actual.get(i).metric(metric), 1e-9, metric);
            }
        }
    }

    @Test
    void modelMemoryDoesNotGrowAcrossEpochs() {
        Map<Integer, Integer> arraysAfterEpoch = new HashMap<>();
        TrainingRun run = run("memory", settings(5, tempDir.resolve("memory"), null));
        run.onEvent(event -> {
            if (event instanceof TrainingEvent.EpochFinished epoch) {
                arraysAfterEpoch.put(epoch.epoch(), run.liveArrays());
            }
        });
        run.run();
        assertEquals(TrainingRun.State.FINISHED, run.state(), String.valueOf(run.status().failure()));
        // After the first epoch every gradient and optimizer moment exists; nothing may be added later.
        assertTrue(arraysAfterEpoch.get(2) > 0);
        assertEquals(arraysAfterEpoch.get(2), arraysAfterEpoch.get(5), "live arrays per epoch: " + arraysAfterEpoch);
    }

    @Test
    void aRunWithoutTrainingDataFailsWithAReason() {
        kafka.createTopics(1, "it.empty");
        RunSettings empty = settings(1, tempDir, null).with(Map.of("train_topic", "it.empty"));
        List<TrainingEvent> events = new ArrayList<>();
        TrainingRun run = run("empty", empty).onEvent(events::add);
        run.run();
        assertEquals(TrainingRun.State.FAILED, run.state());
        assertEquals(TrainingEvent.Type.RUN_FAILED, events.get(events.size() - 1).type());
        assertTrue(((TrainingEvent.RunFailed) events.get(events.size() - 1)).reason().contains("it.empty holds no tokenized pairs"));
    }

    /**
     * Issue 24: records of another tokenizer than the model's trained on the wrong tokens without a word.
     * A model directory (a trained paper encoder, an HF directory) with a foreign tokenizer, and a
     * tokenizer_path other than the records', each fail the run at start naming both fingerprints; with
     * the records' own tokenizer the same model directory trains.
     */
    @Test
    void recordsOfAnotherTokenizerThanTheModelsFailTheRunAtStartWithBothFingerprints() throws Exception {
        TrainingRun donor = run("donor", settings(1, tempDir.resolve("donor"), null));
        donor.run();
        assertEquals(TrainingRun.State.FINISHED, donor.state(), String.valueOf(donor.status().failure()));
        Path encoder = tempDir.resolve("donor/donor/checkpoint_epoch_1/paper_encoder");
        String records = data.train.get(0).tokenizerFingerprint();

        Path foreignTokenizer = tempDir.resolve("foreign-tokenizer");
        // The same tokens in reverse order: a vocabulary of the same size whose ids mean other tokens.
        List<String> tokens = new ArrayList<>(Files.readAllLines(data.tokenizerPath.resolve("vocab.txt")));
        java.util.Collections.reverse(tokens);
        java.util.Map<String, Integer> vocab = new java.util.LinkedHashMap<>();
        tokens.forEach(token -> vocab.putIfAbsent(token, vocab.size()));
        String foreign = dev.paper2code.tokenization.TokenizerSnapshot.writeWordPiece(foreignTokenizer, vocab).fingerprint(64);
        Path foreignModel = Files.createDirectories(tempDir.resolve("foreign-model"));
        Path ownModel = Files.createDirectories(tempDir.resolve("own-model"));
        for (Path model : List.of(foreignModel, ownModel)) {
            try (var files = Files.list(encoder)) {
                for (Path file : files.toList()) {
                    Files.copy(file, model.resolve(file.getFileName()));
                }
            }
        }
        for (Path tokenizerDir : List.of(foreignTokenizer, data.tokenizerPath)) {
            Path target = tokenizerDir == foreignTokenizer ? foreignModel : ownModel;
            try (var files = Files.list(tokenizerDir)) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        TrainingRun wrongModel = run("wrong-model", settings(1, tempDir.resolve("wrong-model"), null)
                .with(Map.of("model_dir", foreignModel.toString())));
        wrongModel.run();
        assertEquals(TrainingRun.State.FAILED, wrongModel.state());
        String failure = wrongModel.status().failure();
        assertTrue(failure.contains(records) && failure.contains(foreign) && failure.contains("TOKENIZER_PATH"), failure);

        TrainingRun wrongTokenizer = run("wrong-tokenizer", settings(1, tempDir.resolve("wrong-tokenizer"), null)
                .with(Map.of("tokenizer_path", foreignTokenizer.toString())));
        wrongTokenizer.run();
        assertEquals(TrainingRun.State.FAILED, wrongTokenizer.state());
        assertTrue(wrongTokenizer.status().failure().contains(records)
                && wrongTokenizer.status().failure().contains(foreign), wrongTokenizer.status().failure());

        TrainingRun own = run("own-model", settings(1, tempDir.resolve("own-model-run"), null)
                .with(Map.of("model_dir", ownModel.toString())));
        own.run();
        assertEquals(TrainingRun.State.FINISHED, own.state(), String.valueOf(own.status().failure()));
    }

    /**
     * Issue 10.8: GET /runs/current reported epoch 3 after a 2-epoch run, and every epoch checkpoint
     * was kept. A finished run names its last epoch; keep_checkpoints keeps the newest K.
     */
    @Test
    void aFinishedRunNamesItsLastEpochAndKeepsOnlyTheNewestCheckpoints() {
        Path checkpoints = tempDir.resolve("kept");
        TrainingRun run = run("kept", settings(3, checkpoints, null).with(Map.of("keep_checkpoints", 1)));
        run.run();

        assertEquals(TrainingRun.State.FINISHED, run.state(), String.valueOf(run.status().failure()));
        assertEquals(3, run.status().epoch());
        Path runDirectory = checkpoints.resolve("kept");
        assertTrue(Files.isDirectory(runDirectory.resolve(CheckpointStore.epochName(3))));
        assertTrue(!Files.exists(runDirectory.resolve(CheckpointStore.epochName(1)))
                && !Files.exists(runDirectory.resolve(CheckpointStore.epochName(2))), "older epoch checkpoints are gone");
        assertTrue(Files.isDirectory(runDirectory.resolve(CheckpointStore.BEST)), "best_model always stays");
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
        TrainingRun run = run("versions", settings(1, tempDir.resolve("versions"), null)
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
        TrainingRun run = run("deletes", settings(1, tempDir.resolve("deletes"), null)
                .with(Map.of("train_topic", "it.deletes.train", "val_topic", "it.deletes.val"))).onEvent(events::add);

        run.run();

        assertEquals(TrainingRun.State.FINISHED, run.state(), String.valueOf(run.status().failure()));
        assertEquals(data.train.size() - 1, run.history().get(0).trainPairs(), "every pair but the deleted one");
        assertEquals((long) data.train.size() - 1, ((Number) started(events).config().get("train_pairs")).longValue());
        assertTrue(events.stream().noneMatch(e -> e.type() == TrainingEvent.Type.RECORDS_SKIPPED),
                "a delete is not an invalid record: " + events);
    }

    /**
     * Issue 20.4 on a real broker: one paper linked to 300 repositories (its pairs share one paper, so at
     * most one fits a batch) beside the ordinary pairs. The run must end exactly at its planned step
     * count, never train on a batch of one (loss 0), and say how many pairs it left out.
     */
    @Test
    void aPaperWithHundredsOfRepositoriesEndsAtThePlannedStepWithoutBatchesOfOne() {
        kafka.createTopics(3, "it.hub.train", "it.hub.val");
        data.publish(kafka.bootstrapServers(), "it.hub.train", "it.hub.val");
        TokenizedPair model = data.train.get(0);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int r = 0; r < 300; r++) {
                TokenizedPair code = data.train.get(r % data.train.size());
                TokenizedPair hub = new TokenizedPair("hub::org/hub-" + r, "hub", "org/hub-" + r, TokenizedPair.TRAIN,
                        model.paperInputIds(), model.paperAttentionMask(), false, code.codeInputIds(),
                        code.codeAttentionMask(), false, model.tokenizerFingerprint(), model.maxLength());
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("it.hub.train", hub.pairId(),
                        Topics.TOKENIZED_TRAIN.serializeValue(hub)));
            }
        }
        List<TrainingEvent> events = new ArrayList<>();
        TrainingRun run = run("hub", settings(2, tempDir.resolve("hub"), null)
                .with(Map.of("train_topic", "it.hub.train", "val_topic", "it.hub.val"))).onEvent(events::add);

        run.run();

        assertEquals(TrainingRun.State.FINISHED, run.state(), String.valueOf(run.status().failure()));
        assertEquals(run.status().totalSteps(), run.status().step(), "the run ends at its planned step count");
        int ordinary = data.train.size();
        assertTrue(run.status().totalSteps() <= 2L * ordinary, "each batch holds an ordinary pair: "
                + run.status().totalSteps() + " steps for 2 epochs of " + ordinary + " ordinary pairs");
        List<TrainingEvent.BatchLoss> losses = ofType(events, TrainingEvent.BatchLoss.class);
        assertTrue(!losses.isEmpty() && losses.stream().allMatch(e -> e.loss() > 1e-4),
                "no batch of one (InfoNCE 0): " + losses.stream().map(TrainingEvent.BatchLoss::loss).toList());
        assertTrue(losses.stream().allMatch(e -> e.learningRate() > 0), "the schedule does not run out before the end");
        for (EpochResult epoch : run.history()) {
            assertEquals(ordinary + 300, epoch.trainPairs() + epoch.leftOutPairs(), "trained or counted as left out");
            assertTrue(epoch.leftOutPairs() > 0, "the hub's pairs that fit no batch are counted");
            assertTrue(epoch.trainLoss() > 0);
        }
        TrainingEvent.EpochFinished last = ofType(events, TrainingEvent.EpochFinished.class).stream()
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(run.history().get(1).leftOutPairs(), last.values().get("left_out_pairs").longValue());
    }

    /**
     * Issue 13: the first finished run becomes champion; a worse challenger (here: one epoch at a
     * learning rate too small to learn anything) is evaluated against it on the same val split and kept
     * out; a warm start from the champion trains on.
     */
    @Test
    void theFirstRunBecomesChampionAndAWorseChallengerIsKeptOut() throws Exception {
        Path checkpoints = tempDir.resolve("champion");
        List<TrainingEvent> events = new ArrayList<>();
        // The champion decision by val loss (lower wins), as this test was written; mrr@10 is the default now.
        run("good", settings(4, checkpoints, null).with(Map.of("best_metric", "val_loss"))).onEvent(events::add).run();
        TrainingEvent.ModelPromoted first = ofType(events, TrainingEvent.ModelPromoted.class).stream().findFirst()
                .orElseThrow();
        assertTrue(first.reason().contains("there was no champion"), first.reason());
        Path champion = checkpoints.resolve("champion");
        assertEquals(checkpoints.resolve("good/best_model").toRealPath(), champion.toRealPath());

        events.clear();
        TrainingRun worse = run("worse", settings(1, checkpoints, null).with(Map.of("learning_rate", 1e-9,
                "best_metric", "val_loss")))
                .onEvent(events::add);
        worse.run();
        assertEquals(TrainingRun.State.FINISHED, worse.state(), String.valueOf(worse.status().failure()));
        TrainingEvent.ModelKept kept = ofType(events, TrainingEvent.ModelKept.class).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no MODEL_KEPT in " + events));
        assertTrue(kept.values().get("challenger") > kept.values().get("champion"),
                "val loss of both on the same split: " + kept.values());
        assertEquals(checkpoints.resolve("good/best_model").toRealPath(), champion.toRealPath(), "the champion stays");

        events.clear();
        TrainingRun warm = run("warm", settings(1, checkpoints, null).with(Map.of("warm_start_from", champion.toString(),
                "best_metric", "val_loss")))
                .onEvent(events::add);
        warm.run();
        assertEquals(TrainingRun.State.FINISHED, warm.state(), String.valueOf(warm.status().failure()));
        assertTrue(warm.history().get(0).valLoss() < 1.0, "starts from the champion's weights, not from scratch: "
                + warm.history().get(0).valLoss());
        assertTrue(ofType(events, TrainingEvent.ModelDecision.class).stream().anyMatch(e -> e.values().containsKey("champion")
                && e.values().containsKey("challenger")), events.toString());
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
     * Issue 10.3: such records failed every run ("pair null has fingerprint null", "index out of range
     * in self" at some step), tried to allocate 1.28 TB, trained on nothing, or resized the model. Each
     * is now left out before it reaches a batch, counted by reason and announced in RECORDS_SKIPPED.
     */
    @Test
    void invalidRecordsAreSkippedCountedAndAnnouncedAndTheRunTrainsOnTheRest() {
        publishWithInvalidRecords("it.invalid.train", "it.invalid.val");
        List<TrainingEvent> events = new ArrayList<>();
        TrainingRun run = run("invalid", settings(2, tempDir.resolve("invalid"), null)
                .with(Map.of("train_topic", "it.invalid.train", "val_topic", "it.invalid.val"))).onEvent(events::add);
        List<TrainingEvent> cleanEvents = new ArrayList<>();
        TrainingRun clean = run("clean", settings(1, tempDir.resolve("clean"), null)).onEvent(cleanEvents::add);

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
        TrainingRun run = run("strict", settings(1, tempDir.resolve("strict"), null)
                .with(Map.of("train_topic", "it.mostly.train", "val_topic", "it.mostly.val", "max_invalid_share", 0.01)));

        run.run();

        assertEquals(TrainingRun.State.FAILED, run.state());
        assertTrue(run.status().failure().contains("6 of") && run.status().failure().contains("max_invalid_share"),
                run.status().failure());
    }

    private static Object startedModel(List<TrainingEvent> events) {
        return started(events).config().get("model");
    }

    private static TrainingEvent.RunStarted started(List<TrainingEvent> events) {
        return ofType(events, TrainingEvent.RunStarted.class).stream().findFirst().orElseThrow();
    }

    private static <T> List<T> ofType(List<TrainingEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
