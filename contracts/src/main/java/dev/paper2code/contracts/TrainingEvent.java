package dev.paper2code.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Map;

/**
 * Training progress, published by the trainer to {@link Topics#TRAINING_PROGRESS} keyed by run id, so
 * that all events of one run stay in order: one record type per event, each with exactly its fields.
 * On the wire each is one JSON object whose {@code type} names the event (docs/topics.md); a record's
 * text field that the JSON has always called {@code detail} keeps that name there and says what it is
 * here ({@code status}, {@code reason}, {@code kind}, ...).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TrainingEvent.RunStarted.class, name = "RUN_STARTED"),
        @JsonSubTypes.Type(value = TrainingEvent.RecordsSkipped.class, name = "RECORDS_SKIPPED"),
        @JsonSubTypes.Type(value = TrainingEvent.BatchLoss.class, name = "BATCH_LOSS"),
        @JsonSubTypes.Type(value = TrainingEvent.EpochFinished.class, name = "EPOCH_FINISHED"),
        @JsonSubTypes.Type(value = TrainingEvent.CheckpointSaved.class, name = "CHECKPOINT_SAVED"),
        @JsonSubTypes.Type(value = TrainingEvent.ModelPromoted.class, name = "MODEL_PROMOTED"),
        @JsonSubTypes.Type(value = TrainingEvent.ModelKept.class, name = "MODEL_KEPT"),
        @JsonSubTypes.Type(value = TrainingEvent.RunFinished.class, name = "RUN_FINISHED"),
        @JsonSubTypes.Type(value = TrainingEvent.RunFailed.class, name = "RUN_FAILED"),
        @JsonSubTypes.Type(value = TrainingEvent.SearchEvaluated.class, name = "SEARCH_EVALUATED")})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface TrainingEvent {
    /** The event's name on the wire ({@code type}); also what a consumer filters a topic read by. */
    enum Type {
        RUN_STARTED, RECORDS_SKIPPED, BATCH_LOSS, EPOCH_FINISHED, CHECKPOINT_SAVED, MODEL_PROMOTED, MODEL_KEPT, RUN_FINISHED,
        RUN_FAILED,
        /** Published by search-service, not the trainer: a run's checkpoint now serves search, and how well. */
        SEARCH_EVALUATED
    }

    /** Written as the JSON's {@code type} by the type information above, not as a property. */
    @JsonIgnore
    Type type();

    /** The run this belongs to (the record's key). */
    String runId();

    /** When it happened. */
    Instant at();

    /** A run started; {@code config} is its settings, data sizes, device, tokenizer and model. */
    record RunStarted(String runId, Instant at, Map<String, Object> config) implements TrainingEvent {
        public RunStarted(String runId, Map<String, Object> config) {
            this(runId, Instant.now(), config);
        }

        @Override
        public Type type() {
            return Type.RUN_STARTED;
        }
    }

    /**
     * Records of the tokenized topics that the run leaves out because they cannot be trained on:
     * {@code counts} per reason and {@code skipped} / {@code read}; {@code examples} names the first
     * few by topic-partition@offset.
     */
    record RecordsSkipped(String runId, Instant at, @JsonProperty("values") Map<String, Double> counts,
                          @JsonProperty("detail") String examples) implements TrainingEvent {
        public RecordsSkipped(String runId, Map<String, Double> counts, String examples) {
            this(runId, Instant.now(), counts, examples);
        }

        @Override
        public Type type() {
            return Type.RECORDS_SKIPPED;
        }
    }

    /** The loss of one optimizer step (every {@code trainer.log-every-steps}) and its learning rate. */
    record BatchLoss(String runId, Instant at, int epoch, long step, double loss, double learningRate) implements TrainingEvent {
        public BatchLoss(String runId, int epoch, long step, double loss, double learningRate) {
            this(runId, Instant.now(), epoch, step, loss, learningRate);
        }

        @Override
        public Type type() {
            return Type.BATCH_LOSS;
        }
    }

    /**
     * An epoch trained and validated: {@code values} holds {@code train_loss}, {@code val_loss},
     * {@code recall@1/5/10}, {@code mrr@10}, {@code ndcg@10}, {@code pairs_per_second},
     * {@code train_pairs}, {@code left_out_pairs}, {@code temperature}.
     */
    record EpochFinished(String runId, Instant at, int epoch, long step, Map<String, Double> values) implements TrainingEvent {
        public EpochFinished(String runId, int epoch, long step, Map<String, Double> values) {
            this(runId, Instant.now(), epoch, step, values);
        }

        @Override
        public Type type() {
            return Type.EPOCH_FINISHED;
        }
    }

    /** A checkpoint written and sealed at {@code path}: every epoch's, and the run's best so far. */
    record CheckpointSaved(String runId, Instant at, int epoch, long step, @JsonProperty("values") Map<String, Double> metric,
                           String path, @JsonProperty("detail") Kind kind) implements TrainingEvent {
        /** Which checkpoint: the epoch's own ({@code checkpoint_epoch_N}) or the run's best ({@code best_model}). */
        public enum Kind {
            EPOCH, BEST;

            @JsonValue
            String wireName() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        public CheckpointSaved(String runId, int epoch, long step, Map<String, Double> metric, String path, Kind kind) {
            this(runId, Instant.now(), epoch, step, metric, path, kind);
        }

        @Override
        public Type type() {
            return Type.CHECKPOINT_SAVED;
        }
    }

    /**
     * The champion/challenger decision after a finished run, both models evaluated on the same, current
     * val split: promoted ({@link ModelPromoted}) or kept ({@link ModelKept}).
     */
    sealed interface ModelDecision extends TrainingEvent {
        /** {@code champion} and {@code challenger}: the metric's values (champion absent when there was none). */
        Map<String, Double> values();

        /** The champion now (the link search serves). */
        String path();

        /** The metric, the run's trigger and why. */
        String reason();

        static ModelDecision of(String runId, boolean promoted, Map<String, Double> values, String path, String reason) {
            return promoted ? new ModelPromoted(runId, Instant.now(), values, path, reason)
                    : new ModelKept(runId, Instant.now(), values, path, reason);
        }
    }

    /** The challenger won: {@code path} (the champion link) now names its best model. */
    record ModelPromoted(String runId, Instant at, Map<String, Double> values, String path,
                         @JsonProperty("detail") String reason) implements ModelDecision {
        @Override
        public Type type() {
            return Type.MODEL_PROMOTED;
        }
    }

    /** The champion stays: the challenger did not beat it. */
    record ModelKept(String runId, Instant at, Map<String, Double> values, String path,
                     @JsonProperty("detail") String reason) implements ModelDecision {
        @Override
        public Type type() {
            return Type.MODEL_KEPT;
        }
    }

    /** A run ended without failing: {@code status} says how (finished, stopped during ...); {@code best} its best epoch's numbers. */
    record RunFinished(String runId, Instant at, long step, @JsonProperty("values") Map<String, Double> best,
                       @JsonProperty("detail") String status) implements TrainingEvent {
        public RunFinished(String runId, long step, String status, Map<String, Double> best) {
            this(runId, Instant.now(), step, best, status);
        }

        @Override
        public Type type() {
            return Type.RUN_FINISHED;
        }
    }

    /** A run failed, and why. */
    record RunFailed(String runId, Instant at, @JsonProperty("detail") String reason) implements TrainingEvent {
        public RunFailed(String runId, String reason) {
            this(runId, Instant.now(), reason);
        }

        @Override
        public Type type() {
            return Type.RUN_FAILED;
        }
    }

    /**
     * search-service's code-search evaluation of the checkpoint it now serves: the val split's papers
     * ranked against every repository of the corpus; {@code values} holds recall@1/5/10, mrr@10,
     * ndcg@10, queries and repositories, and the baselines' as {@code bm25/...}, {@code hybrid/...},
     * {@code zero-shot/...}; {@code path} the checkpoint; {@code method} the index method.
     */
    record SearchEvaluated(String runId, Instant at, Integer epoch, String path, Map<String, Double> values,
                           @JsonProperty("detail") String method) implements TrainingEvent {
        public SearchEvaluated(String runId, Integer epoch, String path, Map<String, Double> values, String method) {
            this(runId, Instant.now(), epoch, path, values, method);
        }

        @Override
        public Type type() {
            return Type.SEARCH_EVALUATED;
        }
    }
}
