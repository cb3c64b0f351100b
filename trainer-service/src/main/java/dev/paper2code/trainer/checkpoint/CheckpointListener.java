package dev.paper2code.trainer.checkpoint;

import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.trainer.evaluation.Metric;
import dev.paper2code.trainer.history.EpochResult;
import dev.paper2code.trainer.history.TrainingHistory;
import dev.paper2code.trainer.listener.RunContext;
import dev.paper2code.trainer.listener.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * After every epoch: training_history.json, {@code checkpoint_epoch_N} (model, optimizer, run state,
 * tokenizer) and, when the epoch is the best so far by the run's metric, {@code best_model}; a
 * CHECKPOINT_SAVED event for each.
 */
public final class CheckpointListener implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(CheckpointListener.class);

    private final Consumer<TrainingEvent> events;

    public CheckpointListener(Consumer<TrainingEvent> events) {
        this.events = events;
    }

    @Override
    public void onEpochEnd(RunContext run, EpochResult result, TrainingHistory history) throws IOException {
        CheckpointStore store = new CheckpointStore(Path.of(run.settings().checkpointDir()));
        store.writeHistory(history.epochs());
        TrainerState state = new TrainerState(run.runId(), result.epoch(), result.step(), run.totalSteps(),
                run.tokenizerFingerprint(), run.settings(), history.epochs());
        Metric metric = history.metric();
        Map<String, Double> value = Map.of(metric.key(), result.metric(metric));
        Path saved = store.save(CheckpointStore.epochName(result.epoch()), run.model(), run.trainer(), state,
                run.tokenizer());
        events.accept(TrainingEvent.checkpointSaved(run.runId(), result.epoch(), result.step(), saved.toString(), value,
                "epoch"));
        store.keepNewestEpochCheckpoints(run.settings().keepCheckpoints());
        if (history.isBest(result)) {
            Path best = store.save(CheckpointStore.BEST, run.model(), run.trainer(), state, run.tokenizer());
            events.accept(TrainingEvent.checkpointSaved(run.runId(), result.epoch(), result.step(), best.toString(), value,
                    "best"));
            LOG.infof("Saved best model (%s %.4f) to %s", metric.key(), result.metric(metric), best);
        }
    }
}
