package dev.paper2code.training.run;

import ai.djl.Device;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.model.contrastive.TrainStep;
import dev.paper2code.training.champion.ChampionSelection;
import dev.paper2code.training.checkpoint.CheckpointListener;
import dev.paper2code.training.data.TrainingData;
import dev.paper2code.training.negatives.HardNegatives;
import dev.paper2code.training.evaluation.RetrievalEvaluator;
import dev.paper2code.training.evaluation.RetrievalEvaluator.Validation;
import dev.paper2code.training.events.ProgressEvents;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.history.TrainingHistory;
import dev.paper2code.training.listener.RunContext;
import dev.paper2code.training.listener.RunOutcome;
import dev.paper2code.training.listener.StepResult;
import dev.paper2code.training.listener.TrainingListener;
import dev.paper2code.training.settings.RunSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One training run: InfoNCE epochs over the train split, validation over the val split, and listeners
 * for everything around them (progress events, log lines, checkpoints and the best model, and those of
 * the {@link TrainingConfig}). The loop never knows where pairs come from: a Kafka topic or a list, as
 * {@link TrainingData} was built.
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
    private final Device device;
    private final TrainingData data;
    private final RetrievalEvaluator evaluator;
    private final TrainingHistory history;
    private final ProgressEvents events;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();

    private volatile State state = State.PENDING;
    private volatile boolean stopRequested;
    private volatile String stopReason;
    private volatile String failure;
    private volatile int epoch;
    private volatile long step;
    private volatile long totalSteps;
    private volatile Double lastBatchLoss;
    private volatile RunContext context;
    private volatile String threadName;
    private volatile String trigger = "manual";

    public TrainingRun(String runId, TrainingConfig config, TrainingData data, Device device) {
        this.runId = runId;
        this.settings = config.settings();
        this.device = device;
        this.data = data;
        this.evaluator = new RetrievalEvaluator(settings.primaryMetric());
        this.history = new TrainingHistory(settings.primaryMetric());
        this.events = new ProgressEvents(config.logEverySteps(), () -> trigger);
        listeners.add(events);
        listeners.add(new LoggingListener(config.logEverySteps()));
        listeners.add(new CheckpointListener(events));
        listeners.addAll(config.listeners());
    }

    /** A run over the tokenized train and val topics that {@code config}'s settings name. */
    public static TrainingRun overTopics(String runId, TrainingConfig config, Map<String, Object> kafkaConfig,
            Device device) {
        return new TrainingRun(runId, config, TrainingData.fromTopics(kafkaConfig, config.settings()), device);
    }

    @Override
    public void run() {
        threadName = Thread.currentThread().getName();
        state = State.RUNNING;
        try (PreparedRun prepared = PreparedRun.prepare(runId, settings, data, device, () -> stopRequested)) {
            context = prepared.context();
            history.addAll(prepared.resumedHistory());
            step = prepared.resumedStep();
            totalSteps = context.totalSteps();
            fit(context);
        } catch (PreparedRun.StoppedBeforeTraining e) {
            state = State.STOPPED;
            LOG.infof("Run %s stopped (%s) before its first step", runId, stopReason);
            events.accept(new TrainingEvent.RunFinished(runId, 0, "stopped before the first step", Map.of()));
        } catch (Exception | OutOfMemoryError e) {
            state = State.FAILED;
            failure = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            LOG.errorf(e, "Run %s failed: %s", runId, failure);
            listeners.forEach(listener -> listener.onRunFailed(runId, failure));
        }
    }

    /** The loop: epochs of steps, each epoch validated and handed to the listeners. */
    private void fit(RunContext run) throws IOException {
        LearningRateSchedule schedule = LearningRateSchedule.of(settings.learningRate(), settings.warmupRatio(), totalSteps);
        listeners.forEach(listener -> listener.onRunStart(run));
        for (epoch = run.firstEpoch(); epoch <= settings.numEpochs() && !stopRequested; epoch++) {
            long started = System.nanoTime();
            double lossSum = 0;
            long batches = 0;
            long pairs = 0;
            long leftOut;
            HardNegatives negatives = settings.hardNegatives() == 0 ? null
                    : BatchStep.mineHardNegatives(run, data.train(), epoch, step == 0, () -> stopRequested);
            try (TrainingData.Batches train = data.trainBatches(epoch, () -> stopRequested)) {
                while (!stopRequested && train.hasNext()) {
                    StepResult result = step(run, train.next(), negatives, schedule.at(step));
                    lossSum += result.loss();
                    batches++;
                    pairs += result.pairs();
                    listeners.forEach(listener -> listener.onStep(run, result));
                }
                leftOut = train.leftOut();
            }
            if (stopRequested) {
                break;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Validation validation;
            try (TrainingData.Batches val = data.valBatches(() -> stopRequested)) {
                validation = evaluator.evaluate(run.trainer(), val.iterator());
            }
            EpochResult result = new EpochResult(epoch, step, lossSum / Math.max(1, batches), validation.loss(),
                    validation.metrics(), pairs, validation.pairs(), pairs / seconds, seconds, leftOut);
            history.add(result);
            for (TrainingListener listener : listeners) {
                listener.onEpochEnd(run, result, history);
            }
        }
        epoch = Math.min(epoch, settings.numEpochs()); // the loop leaves it one past the last epoch
        // A run a user stopped still offers its best epoch (search serves only the champion; a stopped first
        // run would otherwise leave nothing to serve); one stopped for a shutdown resumes and decides then.
        boolean decides = !stopRequested || "user".equals(stopReason);
        if (decides && history.best().isPresent()) {
            events.accept(new ChampionSelection(data, evaluator, () -> "shutdown".equals(stopReason))
                    .decide(run, trigger));
        }
        state = stopRequested ? State.STOPPED : State.FINISHED;
        RunOutcome outcome = new RunOutcome(stopRequested, stopReason, epoch, step, history.best());
        listeners.forEach(listener -> listener.onRunEnd(run, outcome));
    }

    private StepResult step(RunContext run, List<TokenizedPair> batch, HardNegatives negatives, float learningRate) {
        long started = System.nanoTime();
        TrainStep result = BatchStep.train(run, batch, negatives, learningRate, step + 1);
        step++;
        lastBatchLoss = (double) result.loss();
        return new StepResult(epoch, step, result.loss(), result.gradientNorm(), learningRate, batch.size(),
                System.nanoTime() - started);
    }

    /** Subscribes to this run's progress events (also the ones listeners emit, such as CHECKPOINT_SAVED). */
    public TrainingRun onEvent(Consumer<TrainingEvent> subscriber) {
        events.subscribe(subscriber);
        return this;
    }

    public String runId() {
        return runId;
    }

    /** Why the run started ({@code manual}, {@code auto-start}, {@code resume}, {@code follow: N new pairs}); in RUN_STARTED and the champion decision. */
    public TrainingRun triggeredBy(String why) {
        trigger = why;
        return this;
    }

    public String trigger() {
        return trigger;
    }

    /** Who stopped the run ({@code user}, {@code shutdown}), null while nobody did. */
    public String stopReason() {
        return stopReason;
    }

    /** Pairs the run trains on per epoch, once its data was counted. */
    public long trainPairs() {
        RunContext current = context;
        return current == null ? 0 : current.trainPairs();
    }

    /** The thread the run trained on, once it started. */
    public String threadName() {
        return threadName;
    }

    public State state() {
        return state;
    }

    public boolean isActive() {
        return state == State.PENDING || state == State.RUNNING;
    }

    /** Stops between two steps; a run stopped by a user is not resumed by a restarted service. */
    public void requestStop() {
        requestStop("user");
    }

    /** @param reason {@code user}, or {@code shutdown} for a run to resume when the service comes back */
    public void requestStop(String reason) {
        stopReason = reason;
        stopRequested = true;
    }

    public Double lastBatchLoss() {
        return lastBatchLoss;
    }

    /** Records of the current pass not yet read (train or val). */
    public long consumerLag() {
        return data.remaining();
    }

    public List<EpochResult> history() {
        return history.epochs();
    }

    /** Records of the run's topics left out because they cannot be trained on. */
    public long skippedRecords() {
        RunContext current = context;
        return current == null ? 0 : current.skipped().count();
    }

    /** Arrays the model's native memory currently holds; flat across epochs unless something leaks. */
    public int liveArrays() {
        RunContext current = context;
        return current == null ? 0 : current.model().liveArrayCount();
    }

    public RunStatus status() {
        return new RunStatus(runId, state, epoch, step, totalSteps, lastBatchLoss, failure, device.toString(), settings,
                history());
    }
}
