package dev.paper2code.trainer.run;

import ai.djl.Device;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.model.contrastive.TrainStep;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.trainer.checkpoint.CheckpointStore;
import dev.paper2code.trainer.checkpoint.TrainerState;
import dev.paper2code.trainer.data.BatchAssembler;
import dev.paper2code.trainer.data.TopicPass;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One training run: InfoNCE epochs over the train topic, validation (loss and retrieval metrics) over
 * the val topic, checkpoints after every epoch and for the best epoch, and progress events throughout.
 *
 * <p>Restart semantics: a run resumed from {@code checkpoint_epoch_N} continues with epoch N + 1 with
 * the same weights, AdamW moments, step count, learning-rate position and history; because every
 * epoch's shuffle is seeded by (seed, epoch) and topic passes are ordered, it then produces the same
 * history as a run that was never interrupted. Work done after the last checkpoint is redone.
 */
public final class TrainingRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(TrainingRun.class);

    public enum State { PENDING, RUNNING, FINISHED, STOPPED, FAILED }

    private final String runId;
    private final RunSettings settings;
    private final Map<String, Object> kafkaConfig;
    private final List<Consumer<TrainingEvent>> listeners = new CopyOnWriteArrayList<>();
    private final int logEverySteps;
    private final Device device;
    private final Timer stepTimer;
    private final List<EpochResult> history = new CopyOnWriteArrayList<>();
    private final TopicPass trainPass;
    private final TopicPass valPass;

    private volatile State state = State.PENDING;
    private volatile boolean stopRequested;
    private volatile String failure;
    private volatile int epoch;
    private volatile long step;
    private volatile long totalSteps;
    private volatile Double lastBatchLoss;
    private volatile ContrastiveModel model;

    public TrainingRun(String runId, RunSettings settings, Map<String, Object> kafkaConfig, int logEverySteps,
                       Device device, MeterRegistry meters) {
        this.runId = runId;
        this.settings = settings;
        this.kafkaConfig = kafkaConfig;
        this.logEverySteps = Math.max(1, logEverySteps);
        this.device = device;
        this.stepTimer = meters == null ? null : Timer.builder("trainer.step").description("one optimizer step")
                .register(meters);
        this.trainPass = new TopicPass(kafkaConfig, settings.trainTopic());
        this.valPass = new TopicPass(kafkaConfig, settings.valTopic());
    }

    public TrainingRun onEvent(Consumer<TrainingEvent> listener) {
        listeners.add(listener);
        return this;
    }

    public String runId() {
        return runId;
    }

    public State state() {
        return state;
    }

    public boolean isActive() {
        return state == State.PENDING || state == State.RUNNING;
    }

    public void requestStop() {
        stopRequested = true;
    }

    public Double lastBatchLoss() {
        return lastBatchLoss;
    }

    /** Records of the current pass not yet read (train or val). */
    public long consumerLag() {
        return trainPass.remaining() + valPass.remaining();
    }

    public List<EpochResult> history() {
        return List.copyOf(history);
    }

    /** Arrays the model's native memory currently holds; flat across epochs unless something leaks. */
    public int liveArrays() {
        ContrastiveModel current = model;
        return current == null ? 0 : current.liveArrayCount();
    }

    public RunStatus status() {
        return new RunStatus(runId, state, epoch, step, totalSteps, lastBatchLoss, failure, device.toString(), settings,
                history());
    }

    @Override
    public void run() {
        state = State.RUNNING;
        try {
            execute();
        } catch (Exception | OutOfMemoryError e) {
            state = State.FAILED;
            failure = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            LOG.errorf(e, "Run %s failed: %s", runId, failure);
            emit(TrainingEvent.runFailed(runId, failure));
        } finally {
            if (model != null) {
                model.close();
            }
        }
    }

    private void execute() throws IOException {
        TokenizerSnapshot tokenizer = settings.tokenizerPath() == null ? null
                : TokenizerSnapshot.read(Path.of(settings.tokenizerPath()));
        TrainerState resumed = settings.resumeFrom() == null ? null
                : CheckpointStore.verifyAndRead(Path.of(settings.resumeFrom()));

        DataSummary train = summarize(trainPass, settings.trainTopic());
        DataSummary val = summarize(valPass, settings.valTopic());
        if (train.count == 0) {
            throw new IllegalStateException("topic " + settings.trainTopic() + " holds no tokenized pairs to train on");
        }
        if (val.count > 0 && !val.fingerprint.equals(train.fingerprint)) {
            throw new IllegalStateException("train and val records come from different tokenizers ("
                    + train.fingerprint + " vs " + val.fingerprint + ")");
        }
        if (resumed != null && !resumed.tokenizerFingerprint().equals(train.fingerprint)) {
            throw new IllegalStateException("checkpoint " + settings.resumeFrom() + " was trained on tokenizer "
                    + resumed.tokenizerFingerprint() + " but the topic holds " + train.fingerprint);
        }

        model = openModel(resumed, tokenizer, train.maxLength);
        CheckpointStore store = new CheckpointStore(Path.of(settings.checkpointDir()));
        int firstEpoch = 1;
        if (resumed != null) {
            history.addAll(resumed.history());
            firstEpoch = resumed.epoch() + 1;
            step = resumed.step();
            totalSteps = resumed.totalSteps();
        } else {
            totalSteps = (long) settings.numEpochs() * ((train.count + settings.batchSize() - 1) / settings.batchSize());
        }
        LearningRateSchedule schedule = LearningRateSchedule.of(settings.learningRate(), settings.warmupRatio(), totalSteps);

        Map<String, Object> startConfig = new LinkedHashMap<>(settings.asMap());
        startConfig.put("train_pairs", train.count);
        startConfig.put("val_pairs", val.count);
        startConfig.put("device", device.toString());
        startConfig.put("tokenizer_fingerprint", train.fingerprint);
        startConfig.put("model", model.encoderConfig());
        startConfig.put("first_epoch", firstEpoch);
        emit(TrainingEvent.runStarted(runId, startConfig));
        LOG.infof("Run %s: %d train / %d val pairs, %d epochs of batch %d on %s, %d steps in all%s", runId, train.count,
                val.count, settings.numEpochs(), settings.batchSize(), device, totalSteps,
                resumed == null ? "" : ", resuming after epoch " + resumed.epoch() + " from " + settings.resumeFrom());

        for (epoch = firstEpoch; epoch <= settings.numEpochs() && !stopRequested; epoch++) {
            long started = System.nanoTime();
            double[] lossSum = new double[1];
            long[] batches = new long[1];
            long[] pairs = new long[1];
            BatchAssembler assembler = new BatchAssembler(settings.batchSize(), settings.shuffleBuffer(),
                    new Random(settings.seed() * 1_000_003L + epoch), batch -> {
                        if (stopRequested) {
                            return;
                        }
                        TrainStep result = trainBatch(batch, schedule);
                        lossSum[0] += result.loss();
                        batches[0]++;
                        pairs[0] += batch.size();
                    });
            trainPass.forEach(assembler::add, () -> stopRequested);
            if (stopRequested) {
                break;
            }
            assembler.finish();
            double seconds = (System.nanoTime() - started) / 1e9;
            Validation validation = validate();
            EpochResult result = new EpochResult(epoch, step, lossSum[0] / Math.max(1, batches[0]), validation.loss,
                    validation.metrics, pairs[0], validation.pairs, pairs[0] / seconds, seconds);
            history.add(result);
            store.writeHistory(history);
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("train_loss", result.trainLoss());
            values.put("val_loss", result.valLoss());
            values.putAll(result.metrics());
            values.put("pairs_per_second", result.pairsPerSecond());
            values.put("temperature", (double) model.temperature());
            emit(TrainingEvent.epochFinished(runId, epoch, step, values));
            LOG.infof("Epoch %d/%d - Train Loss: %.4f, Val Loss: %.4f, Recall@1: %.3f, Recall@5: %.3f, Recall@10: %.3f, "
                            + "MRR@10: %.3f (%.1f pairs/s, %.1f s)", epoch, settings.numEpochs(), result.trainLoss(),
                    result.valLoss(), result.metric("recall@1"), result.metric("recall@5"), result.metric("recall@10"),
                    result.metric("mrr@10"), result.pairsPerSecond(), seconds);

            TrainerState checkpointState = new TrainerState(runId, epoch, step, totalSteps, train.fingerprint, settings,
                    history());
            Map<String, Double> metric = Map.of(settings.bestMetric(), result.metric(settings.bestMetric()));
            Path saved = store.save(CheckpointStore.epochName(epoch), model, checkpointState, tokenizer);
            emit(TrainingEvent.checkpointSaved(runId, epoch, step, saved.toString(), metric, "epoch"));
            if (isBest(result)) {
                Path best = store.save(CheckpointStore.BEST, model, checkpointState, tokenizer);
                emit(TrainingEvent.checkpointSaved(runId, epoch, step, best.toString(), metric, "best"));
                LOG.infof("Saved best model (%s %.4f) to %s", settings.bestMetric(), result.metric(settings.bestMetric()),
                        best);
            }
        }
        Map<String, Double> best = bestResult().map(r -> Map.of(settings.bestMetric(), r.metric(settings.bestMetric()),
                "best_epoch", (double) r.epoch())).orElse(Map.of());
        state = stopRequested ? State.STOPPED : State.FINISHED;
        String status = stopRequested ? "stopped during epoch " + epoch + " at step " + step : "finished";
        emit(TrainingEvent.runFinished(runId, step, status, best));
        LOG.infof("Run %s %s after %d steps; best %s", runId, status, step, best);
    }

    private ContrastiveModel openModel(TrainerState resumed, TokenizerSnapshot tokenizer, int maxLength)
            throws IOException {
        if (resumed != null) {
            return ContrastiveModel.load(Path.of(settings.resumeFrom()), device);
        }
        if (settings.modelDir() != null) {
            return ContrastiveModel.fromPretrained(Path.of(settings.modelDir()), settings.contrastiveOptions(), device);
        }
        if (tokenizer == null) {
            throw new IllegalArgumentException("training from scratch needs tokenizer_path (for the vocabulary size "
                    + "and padding id); or set model_dir to a Hugging Face model directory");
        }
        EncoderConfig config = EncoderConfig.smallRoberta(tokenizer.vocabularySize(), tokenizer.padTokenId(), maxLength);
        LOG.infof("Training from scratch: %s", config);
        return ContrastiveModel.fromScratch(config, settings.seed(), settings.contrastiveOptions(), device);
    }

    private TokenBatch paperTokens(List<TokenizedPair> batch) {
        return TokenBatch.pad(batch.stream().map(TokenizedPair::paperInputIds).toList(), model.encoderConfig().padTokenId());
    }

    private TokenBatch codeTokens(List<TokenizedPair> batch) {
        return TokenBatch.pad(batch.stream().map(TokenizedPair::codeInputIds).toList(), model.encoderConfig().padTokenId());
    }

    private TrainStep trainBatch(List<TokenizedPair> batch, LearningRateSchedule schedule) {
        float learningRate = schedule.at(step);
        long started = System.nanoTime();
        TrainStep result = model.trainStep(paperTokens(batch), codeTokens(batch), learningRate, settings.maxGradNorm());
        if (stepTimer != null) {
            stepTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        if (!Float.isFinite(result.loss())) {
            throw new IllegalStateException("the loss became " + result.loss() + " at step " + (step + 1)
                    + "; lower learning_rate or check the data");
        }
        step++;
        lastBatchLoss = (double) result.loss();
        if (step % logEverySteps == 0) {
            emit(TrainingEvent.batchLoss(runId, epoch, step, result.loss(), learningRate));
            LOG.infof("Epoch %d step %d/%d - loss %.4f, lr %.2e, grad norm %.3f", epoch, step, totalSteps, result.loss(),
                    learningRate, result.gradientNorm());
        }
        return result;
    }

    private record Validation(double loss, Map<String, Double> metrics, long pairs) {
    }

    private Validation validate() {
        Map<String, Integer> paperIndex = new HashMap<>();
        Map<String, Integer> codeIndex = new HashMap<>();
        List<float[]> paperEmbeddings = new ArrayList<>();
        List<float[]> codeEmbeddings = new ArrayList<>();
        List<Set<Integer>> relevant = new ArrayList<>();
        double[] lossSum = new double[1];
        long[] batches = new long[1];
        long[] pairs = new long[1];
        BatchAssembler assembler = new BatchAssembler(settings.batchSize(), settings.shuffleBuffer(), null, batch -> {
            ContrastiveModel.Evaluation evaluation = model.evaluate(paperTokens(batch), codeTokens(batch));
            if (batch.size() > 1) {
                lossSum[0] += evaluation.loss();
                batches[0]++;
            }
            float[][] paperVectors = evaluation.paperEmbeddings();
            float[][] codeVectors = evaluation.codeEmbeddings();
            for (int i = 0; i < batch.size(); i++) {
                TokenizedPair pair = batch.get(i);
                int p = paperIndex.computeIfAbsent(pair.paperId(), id -> paperEmbeddings.size());
                if (p == paperEmbeddings.size()) {
                    paperEmbeddings.add(paperVectors[i]);
                    relevant.add(new HashSet<>());
                }
                int c = codeIndex.computeIfAbsent(pair.repository(), id -> codeEmbeddings.size());
                if (c == codeEmbeddings.size()) {
                    codeEmbeddings.add(codeVectors[i]);
                }
                relevant.get(p).add(c);
            }
            pairs[0] += batch.size();
        });
        valPass.forEach(assembler::add, () -> stopRequested);
        assembler.finish();
        if (pairs[0] == 0) {
            return new Validation(Double.NaN, Map.of(), 0);
        }
        Map<String, Double> metrics = RetrievalMetrics.compute(paperEmbeddings.toArray(float[][]::new),
                codeEmbeddings.toArray(float[][]::new), relevant);
        return new Validation(batches[0] == 0 ? Double.NaN : lossSum[0] / batches[0], metrics, pairs[0]);
    }

    private boolean isBest(EpochResult result) {
        double value = result.metric(settings.bestMetric());
        if (Double.isNaN(value)) {
            return false;
        }
        for (EpochResult earlier : history) {
            if (earlier.epoch() == result.epoch()) {
                continue;
            }
            double other = earlier.metric(settings.bestMetric());
            if (!Double.isNaN(other) && (settings.higherIsBetter() ? other >= value : other <= value)) {
                return false;
            }
        }
        return true;
    }

    private java.util.Optional<EpochResult> bestResult() {
        return history.stream().filter(r -> !Double.isNaN(r.metric(settings.bestMetric())))
                .reduce((a, b) -> (settings.higherIsBetter()
                        ? b.metric(settings.bestMetric()) > a.metric(settings.bestMetric())
                        : b.metric(settings.bestMetric()) < a.metric(settings.bestMetric())) ? b : a);
    }

    private static final class DataSummary {
        long count;
        String fingerprint;
        int maxLength;
    }

    /** Counts a topic's records and checks they all come from one tokenizer. */
    private DataSummary summarize(TopicPass pass, String topic) {
        DataSummary summary = new DataSummary();
        pass.forEach(pair -> {
            if (summary.fingerprint == null) {
                summary.fingerprint = pair.tokenizerFingerprint();
            } else if (!summary.fingerprint.equals(pair.tokenizerFingerprint())) {
                throw new IllegalStateException("topic " + topic + " mixes tokenizers: pair " + pair.pairId()
                        + " has fingerprint " + pair.tokenizerFingerprint() + ", earlier pairs " + summary.fingerprint
                        + "; re-tokenize into fresh topics");
            }
            summary.maxLength = Math.max(summary.maxLength, Math.max(pair.maxLength(),
                    Math.max(pair.paperInputIds().length, pair.codeInputIds().length)));
            summary.count++;
        }, () -> stopRequested);
        return summary;
    }

    private void emit(TrainingEvent event) {
        for (Consumer<TrainingEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warnf("A progress listener failed on %s: %s", event.type(), e.getMessage());
            }
        }
    }
}
