package dev.paper2code.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.paper2code.training.run.RunEvents.ofType;

import ai.djl.Device;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.training.SyntheticPairs;
import dev.paper2code.training.checkpoint.CheckpointStore;
import dev.paper2code.training.data.TrainingData;
import dev.paper2code.training.history.TrainingCurvesSvg;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.settings.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop on pairs in memory (issue 21.1): what a run learns, resumes, keeps and decides does
 * not depend on where its pairs come from, so none of this needs a broker. What is about Kafka (newest
 * versions by offset, tombstones, unreadable bytes, broker outages) is in {@link TopicRunTest} and
 * {@link BrokerOutageTest}.
 */
class TrainingRunTest {
    private static final String TRAIN = "it.tokenized.train";
    private static final String VAL = "it.tokenized.val";

    static SyntheticPairs data;

    @TempDir
    static Path shared;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void makeDataset() {
        data = new SyntheticPairs(shared, 60);
    }

    private RunSettings settings(int epochs, Path checkpoints, String resumeFrom) {
        Map<String, Object> resume = new HashMap<>();
        resume.put("resume_from", resumeFrom);
        return data.runSettings(epochs, checkpoints, TRAIN, VAL).with(resume);
    }

    private TrainingRun run(String id, RunSettings settings) {
        return run(id, settings, data.train);
    }

    private TrainingRun run(String id, RunSettings settings, List<TokenizedPair> train) {
        return new TrainingRun(id, TrainingConfig.of(settings).logEvery(5), TrainingData.inMemory(train, data.val, settings),
                Device.cpu());
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
        RunSettings empty = settings(1, tempDir, null).with(Map.of("train_topic", "it.empty"));
        List<TrainingEvent> events = new ArrayList<>();
        TrainingRun run = run("empty", empty, List.of()).onEvent(events::add);
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
     * Issue 20.4: one paper linked to 300 repositories (its pairs share one paper, so at
     * most one fits a batch) beside the ordinary pairs. The run must end exactly at its planned step
     * count, never train on a batch of one (loss 0), and say how many pairs it left out.
     */
    @Test
    void aPaperWithHundredsOfRepositoriesEndsAtThePlannedStepWithoutBatchesOfOne() {
        TokenizedPair model = data.train.get(0);
        List<TokenizedPair> train = new ArrayList<>(data.train);
        for (int r = 0; r < 300; r++) {
            TokenizedPair code = data.train.get(r % data.train.size());
            train.add(new TokenizedPair("hub::org/hub-" + r, "hub", "org/hub-" + r, TokenizedPair.TRAIN,
                    model.paperInputIds(), model.paperAttentionMask(), false, code.codeInputIds(),
                    code.codeAttentionMask(), false, model.tokenizerFingerprint(), model.maxLength()));
        }
        List<TrainingEvent> events = new ArrayList<>();
        TrainingRun run = run("hub", settings(2, tempDir.resolve("hub"), null), train).onEvent(events::add);

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
}
