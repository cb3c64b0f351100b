package dev.paper2code.training.events;

import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.retrieval.evaluation.Metric;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.history.TrainingHistory;
import dev.paper2code.training.listener.RunContext;
import dev.paper2code.training.listener.RunOutcome;
import dev.paper2code.training.listener.StepResult;
import dev.paper2code.training.listener.TrainingListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Turns the loop's callbacks into {@link TrainingEvent}s (RUN_STARTED, BATCH_LOSS every
 * {@code logEverySteps} steps, EPOCH_FINISHED, RUN_FINISHED, RUN_FAILED) and hands each to every
 * subscriber: the progress topic's publisher, tests. Other listeners emit through it too
 * (CHECKPOINT_SAVED), so every event of a run goes one way. A failing subscriber is logged, never
 * fails the run.
 */
public final class ProgressEvents implements TrainingListener, Consumer<TrainingEvent> {
    private static final Logger LOG = Logger.getLogger(ProgressEvents.class);

    private final int logEverySteps;
    private final List<Consumer<TrainingEvent>> subscribers = new CopyOnWriteArrayList<>();

    private final java.util.function.Supplier<String> trigger;

    /** @param trigger why the run started, for RUN_STARTED */
    public ProgressEvents(int logEverySteps, java.util.function.Supplier<String> trigger) {
        this.logEverySteps = Math.max(1, logEverySteps);
        this.trigger = trigger;
    }

    public void subscribe(Consumer<TrainingEvent> subscriber) {
        subscribers.add(subscriber);
    }

    @Override
    public void accept(TrainingEvent event) {
        for (Consumer<TrainingEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.warnf("A progress subscriber failed on %s: %s", event.type(), e.getMessage());
            }
        }
    }

    @Override
    public void onRunStart(RunContext run) {
        Map<String, Object> config = new LinkedHashMap<>(run.settings().asMap());
        config.put("train_pairs", run.trainPairs());
        config.put("val_pairs", run.valPairs());
        config.put("superseded_records", run.supersededRecords());
        config.put("device", run.device().toString());
        config.put("tokenizer_fingerprint", run.tokenizerFingerprint());
        config.put("model", run.model().encoderConfig());
        config.put("first_epoch", run.firstEpoch());
        config.put("trigger", trigger.get());
        accept(new TrainingEvent.RunStarted(run.runId(), config));
        if (run.skipped().count() > 0) {
            Map<String, Double> counts = new LinkedHashMap<>();
            run.skipped().byReason().forEach((reason, count) -> counts.put(reason, count.doubleValue()));
            counts.put("skipped", (double) run.skipped().count());
            counts.put("read", (double) (run.trainPairs() + run.valPairs() + run.skipped().count()));
            accept(new TrainingEvent.RecordsSkipped(run.runId(), counts, run.skipped().examples()));
        }
    }

    @Override
    public void onStep(RunContext run, StepResult step) {
        if (step.step() % logEverySteps == 0) {
            accept(new TrainingEvent.BatchLoss(run.runId(), step.epoch(), step.step(), step.loss(), step.learningRate()));
        }
    }

    @Override
    public void onEpochEnd(RunContext run, EpochResult result, TrainingHistory history) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("train_loss", result.trainLoss());
        values.put(Metric.VAL_LOSS.key(), result.valLoss());
        values.putAll(result.metrics());
        values.put("pairs_per_second", result.pairsPerSecond());
        values.put("train_pairs", (double) result.trainPairs());
        values.put("left_out_pairs", (double) result.leftOutPairs());
        values.put("temperature", (double) run.model().temperature());
        accept(new TrainingEvent.EpochFinished(run.runId(), result.epoch(), result.step(), values));
    }

    @Override
    public void onRunEnd(RunContext run, RunOutcome outcome) {
        accept(new TrainingEvent.RunFinished(run.runId(), outcome.step(), outcome.description(), bestValues(run, outcome)));
    }

    /** {best metric: value, best_epoch: N}, empty when no epoch has a value. */
    public static Map<String, Double> bestValues(RunContext run, RunOutcome outcome) {
        Metric metric = run.settings().primaryMetric();
        return outcome.best().map(r -> Map.of(metric.key(), r.metric(metric), "best_epoch", (double) r.epoch()))
                .orElse(Map.of());
    }

    @Override
    public void onRunFailed(String runId, String reason) {
        accept(new TrainingEvent.RunFailed(runId, reason));
    }
}
