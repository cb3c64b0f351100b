package dev.paper2code.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * Training progress, published by the trainer to {@link Topics#TRAINING_PROGRESS} keyed by run id, so
 * that all events of one run stay in order. Fields that do not apply to a type are absent from the JSON.
 *
 * @param type        what happened
 * @param runId       the run this belongs to
 * @param at          when it happened
 * @param epoch       1-based epoch (batch, epoch and checkpoint events)
 * @param step        optimizer steps taken so far in the run
 * @param loss        batch loss ({@code BATCH_LOSS})
 * @param learningRate learning rate of that step ({@code BATCH_LOSS})
 * @param values      named numbers: {@code train_loss}, {@code val_loss}, {@code recall@1}, {@code recall@5},
 *                    {@code recall@10}, {@code mrr@10}, {@code pairs_per_second}, ... ({@code EPOCH_FINISHED},
 *                    {@code RUN_FINISHED}); the metric of a checkpoint ({@code CHECKPOINT_SAVED})
 * @param config      the run's settings ({@code RUN_STARTED})
 * @param path        checkpoint directory ({@code CHECKPOINT_SAVED})
 * @param detail      status or failure reason ({@code RUN_FINISHED}, {@code RUN_FAILED}), or "best" for the
 *                    best-model checkpoint
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingEvent(
        Type type,
        String runId,
        Instant at,
        Integer epoch,
        Long step,
        Double loss,
        Double learningRate,
        Map<String, Double> values,
        Map<String, Object> config,
        String path,
        String detail) {

    public enum Type {
        RUN_STARTED, RECORDS_SKIPPED, BATCH_LOSS, EPOCH_FINISHED, CHECKPOINT_SAVED, MODEL_PROMOTED, MODEL_KEPT, RUN_FINISHED,
        RUN_FAILED,
        /** Published by search-service, not the trainer: a run's checkpoint now serves search, and how well. */
        SEARCH_EVALUATED
    }

    public static TrainingEvent runStarted(String runId, Map<String, Object> config) {
        return new TrainingEvent(Type.RUN_STARTED, runId, Instant.now(), null, null, null, null, null, config, null, null);
    }

    /**
     * Records of the tokenized topics that the run leaves out because they cannot be trained on:
     * {@code values} holds the count per reason and {@code skipped} / {@code read}; {@code detail}
     * names the first few by topic-partition@offset.
     */
    public static TrainingEvent recordsSkipped(String runId, Map<String, Double> counts, String detail) {
        return new TrainingEvent(Type.RECORDS_SKIPPED, runId, Instant.now(), null, null, null, null, counts, null, null,
                detail);
    }

    public static TrainingEvent batchLoss(String runId, int epoch, long step, double loss, double learningRate) {
        return new TrainingEvent(Type.BATCH_LOSS, runId, Instant.now(), epoch, step, loss, learningRate, null, null, null,
                null);
    }

    public static TrainingEvent epochFinished(String runId, int epoch, long step, Map<String, Double> values) {
        return new TrainingEvent(Type.EPOCH_FINISHED, runId, Instant.now(), epoch, step, null, null, values, null, null,
                null);
    }

    public static TrainingEvent checkpointSaved(String runId, int epoch, long step, String path, Map<String, Double> metric,
                                                String detail) {
        return new TrainingEvent(Type.CHECKPOINT_SAVED, runId, Instant.now(), epoch, step, null, null, metric, null, path,
                detail);
    }

    /**
     * The champion/challenger decision after a finished run: both models evaluated on the same, current
     * val split; {@code values} holds {@code champion} and {@code challenger} (the metric's values;
     * champion absent when there was none), {@code path} the champion now, {@code detail} the metric,
     * the run's trigger and why.
     */
    public static TrainingEvent modelDecision(String runId, boolean promoted, Map<String, Double> values, String path,
                                              String detail) {
        return new TrainingEvent(promoted ? Type.MODEL_PROMOTED : Type.MODEL_KEPT, runId, Instant.now(), null, null, null,
                null, values, null, path, detail);
    }

    public static TrainingEvent runFinished(String runId, long step, String status, Map<String, Double> best) {
        return new TrainingEvent(Type.RUN_FINISHED, runId, Instant.now(), null, step, null, null, best, null, null, status);
    }

    /**
     * search-service's code-search evaluation of the checkpoint it now serves: the val split's papers
     * ranked against every repository of the corpus; {@code values} holds recall@1/5/10, mrr@10,
     * ndcg@10, queries and repositories; {@code path} the checkpoint, {@code detail} the index method.
     */
    public static TrainingEvent searchEvaluated(String runId, Integer epoch, String path, Map<String, Double> values,
                                                String detail) {
        return new TrainingEvent(Type.SEARCH_EVALUATED, runId, Instant.now(), epoch, null, null, null, values, null, path,
                detail);
    }

    public static TrainingEvent runFailed(String runId, String reason) {
        return new TrainingEvent(Type.RUN_FAILED, runId, Instant.now(), null, null, null, null, null, null, null, reason);
    }
}
