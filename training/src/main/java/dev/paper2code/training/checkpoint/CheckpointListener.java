package dev.paper2code.training.checkpoint;

import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.retrieval.evaluation.Metric;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.history.TrainingHistory;
import dev.paper2code.training.listener.RunContext;
import dev.paper2code.training.listener.TrainingListener;
import dev.paper2code.training.listener.RunOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * After every epoch, in the run's own directory ({@link RunDirectories}): training_history.json,
 * {@code checkpoint_epoch_N} (model, optimizer, run state, tokenizer) and, when the epoch is the best so
 * far by the run's metric, {@code best_model} (that checkpoint's files, hard-linked), which the checkpoint
 * dir's {@code best_model} link then points to; a CHECKPOINT_SAVED event for each. The run's
 * {@code run.json} follows its state.
 */
public final class CheckpointListener implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(CheckpointListener.class);

    private final Consumer<TrainingEvent> events;

    public CheckpointListener(Consumer<TrainingEvent> events) {
        this.events = events;
    }

    @Override
    public void onRunStart(RunContext run) {
        record(run.settings().checkpointDir(), run.runId(), "RUNNING", null);
    }

    @Override
    public void onRunEnd(RunContext run, RunOutcome outcome) {
        record(run.settings().checkpointDir(), run.runId(), outcome.stopped() ? "STOPPED" : "FINISHED",
                outcome.stopReason());
    }

    private static void record(String checkpointDir, String runId, String state, String stopReason) {
        try {
            RunDirectories.record(RunDirectories.runDirectory(Path.of(checkpointDir), runId), runId, state, stopReason);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the run's state in " + checkpointDir, e);
        }
    }

    @Override
    public void onEpochEnd(RunContext run, EpochResult result, TrainingHistory history) throws IOException {
        Path checkpointDir = Path.of(run.settings().checkpointDir());
        CheckpointStore store = new CheckpointStore(RunDirectories.runDirectory(checkpointDir, run.runId()));
        store.writeHistory(history.epochs());
        TrainerState state = new TrainerState(run.runId(), result.epoch(), result.step(), run.totalSteps(),
                run.tokenizerFingerprint(), run.settings(), history.epochs());
        Metric metric = history.metric();
        Map<String, Double> value = Map.of(metric.key(), result.metric(metric));
        Path saved = store.save(CheckpointStore.epochName(result.epoch()), run.model(), run.trainer(), state,
                run.tokenizer(), run.maxLength());
        events.accept(new TrainingEvent.CheckpointSaved(run.runId(), result.epoch(), result.step(), value, saved.toString(),
                TrainingEvent.CheckpointSaved.Kind.EPOCH));
        if (history.isBest(result)) {
            // The epoch's checkpoint, file for file: linked, not written again.
            Path best = store.saveLinked(CheckpointStore.BEST, saved);
            RunDirectories.linkBest(checkpointDir, best);
            events.accept(new TrainingEvent.CheckpointSaved(run.runId(), result.epoch(), result.step(), value, best.toString(),
                    TrainingEvent.CheckpointSaved.Kind.BEST));
            LOG.infof("Saved best model (%s %.4f) to %s", metric.key(), result.metric(metric), best);
        }
        store.keepNewestEpochCheckpoints(run.settings().keepCheckpoints());
    }
}
