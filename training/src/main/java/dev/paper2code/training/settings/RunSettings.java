package dev.paper2code.training.settings;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TopicNames;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.TrainingOptions;
import dev.paper2code.model.encoder.DropoutRates;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.retrieval.evaluation.Metric;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything a run is configured with, declared once: each component is a setting, its {@link Setting}
 * gives the default and the meaning, its name gives the REST name and the configuration property, and
 * the compact constructor validates. Published in RUN_STARTED and stored in every checkpoint.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunSettings(
        @Setting(defaultValue = "8", description = "pairs per batch (in-batch negatives)")
        int batchSize,
        @Setting(defaultValue = "3", description = "epochs")
        int numEpochs,
        @Setting(defaultValue = "2e-5", description = "peak learning rate (AdamW)")
        float learningRate,
        @Setting(defaultValue = "0.1", description = "share of steps of linear warmup, then linear decay to 0")
        float warmupRatio,
        @Setting(defaultValue = "0.07", description = "InfoNCE temperature (the initial one when learnable)")
        float temperature,
        @Setting(defaultValue = "0.01", description = "AdamW decoupled weight decay")
        float weightDecay,
        @Setting(defaultValue = "1.0", description = "global-norm gradient clipping")
        float maxGradNorm,
        @Setting(defaultValue = "42", description = "seeds initialization, every epoch's shuffle and every step's dropout masks")
        long seed,
        @Setting(defaultValue = "0", description = "0: off; else cached InfoNCE (GradCache): the batch is embedded in mini-batches of this size, so batch_size can grow far past memory at the same gradient, for one extra forward")
        int miniBatchSize,
        @Setting(defaultValue = "0", description = "0: off; else N hard negatives per train paper, mined at the start of every epoch: the repositories the current model ranks highest for the paper that are none of its own (BM25 over token ids for a scratch model's first epoch), added to the InfoNCE denominator of its batch (docs/training.md)")
        int hardNegatives,
        @Setting(defaultValue = "config", description = "training dropout: config (the model's hidden_dropout_prob and attention_probs_dropout_prob, 0.1 for CodeBERT and the scratch model, as Hugging Face trains), a probability for both, or 0 (off: deterministic steps)")
        String dropout,
        @Setting(defaultValue = "false", description = "one encoder for papers and code")
        boolean sharedEncoder,
        @Setting(defaultValue = "false", description = "average paper-to-code and code-to-paper InfoNCE")
        boolean symmetricLoss,
        @Setting(defaultValue = "false", description = "learn ln(1/temperature), as CLIP")
        boolean learnableTemperature,
        @Setting(defaultValue = "mrr@10", description = "selects best_model and decides champions: mrr@10 (as CodeBERT's search scripts pick), recall@1, recall@5, recall@10, val_loss. On the real data val_loss kept the scratch model's epoch 1 of 8 (search MRR@10 0.034 vs 0.156 at epoch 8) and cost the fine-tuned model nothing to replace (0.625 vs 0.628): docs/BENCHMARKS.md")
        String bestMetric,
        @Setting(defaultValue = "checkpoints", description = "where best_model, checkpoint_epoch_N and training_history.json go")
        String checkpointDir,
        @Setting(description = "a checkpoint directory to continue from (e.g. checkpoints/checkpoint_epoch_1)")
        String resumeFrom,
        @Setting(description = "a Hugging Face model directory both encoders start from; none: a small RoBERTa from scratch")
        String modelDir,
        @Setting(description = "a trainer checkpoint (e.g. checkpoints/champion) whose weights the run starts from, with a fresh optimizer and history")
        String warmStartFrom,
        @Setting(description = "the tokenizer the records were made with (vocabulary size for scratch models; copied into checkpoints)")
        String tokenizerPath,
        @Setting(defaultValue = "4096", description = "records held for shuffling at a time; bounds memory whatever the topic's size")
        int shuffleBuffer,
        @Setting(defaultValue = "0.1", description = "share of records that may be invalid (skipped, counted, logged) before the run fails instead")
        float maxInvalidShare,
        @Setting(defaultValue = "0", description = "epoch checkpoints kept: the newest K (best_model always stays); 0 keeps all, as Hugging Face's save_total_limit")
        int keepCheckpoints,
        @Setting(defaultValue = "300", description = "seconds a run waits, retrying, for a broker that does not answer before it fails")
        int brokerWaitSeconds,
        @Setting(defaultValue = TopicNames.TOKENIZED_TRAIN, description = "the tokenized train topic", property = "trainer.topics.train")
        String trainTopic,
        @Setting(defaultValue = TopicNames.TOKENIZED_VAL, description = "the tokenized val topic", property = "trainer.topics.val")
        String valTopic) {

    private static final TypeReference<LinkedHashMap<String, Object>> SETTINGS_MAP = new TypeReference<>() { };

    public RunSettings {
        require(batchSize >= 2 && batchSize <= 65_536, "batch_size must be at least 2 (in-batch negatives) and at most 65536, got " + batchSize);
        require(numEpochs >= 1 && numEpochs <= 10_000, "num_epochs must be in [1, 10000], got " + numEpochs);
        require(learningRate > 0 && learningRate <= 1, "learning_rate must be in (0, 1], got " + learningRate);
        require(warmupRatio >= 0 && warmupRatio < 1, "warmup_ratio must be in [0, 1), got " + warmupRatio);
        require(temperature > 0 && temperature <= 100, "temperature must be in (0, 100], got " + temperature);
        require(weightDecay >= 0 && weightDecay <= 1, "weight_decay must be in [0, 1], got " + weightDecay);
        require(maxGradNorm > 0 && Float.isFinite(maxGradNorm), "max_grad_norm must be positive and finite, got " + maxGradNorm);
        require(shuffleBuffer <= 10_000_000, "shuffle_buffer must be at most 10000000 records, got " + shuffleBuffer);
        require(brokerWaitSeconds >= 1, "broker_wait_seconds must be at least 1, got " + brokerWaitSeconds);
        require(keepCheckpoints >= 0, "keep_checkpoints must be 0 (keep all) or more, got " + keepCheckpoints);
        require(Metric.keys().contains(bestMetric), "best_metric must be one of " + Metric.keys() + ", got " + bestMetric);
        require(shuffleBuffer >= batchSize, "shuffle_buffer must hold at least one batch, got " + shuffleBuffer);
        require(maxInvalidShare >= 0 && maxInvalidShare < 1, "max_invalid_share must be in [0, 1), got " + maxInvalidShare);
        require(checkpointDir != null && !checkpointDir.isBlank(), "checkpoint_dir is required");
        require(miniBatchSize >= 0, "mini_batch_size must be 0 (off) or positive, got " + miniBatchSize);
        require(hardNegatives >= 0 && hardNegatives <= 64, "hard_negatives must be in [0, 64], got " + hardNegatives);
        dropoutOverride(dropout);
    }

    /** The dropout setting as a probability, or empty for {@code config}; rejects anything else. */
    private static Optional<Float> dropoutOverride(String dropout) {
        if (dropout == null || dropout.equals("config")) {
            return Optional.empty();
        }
        float probability;
        try {
            probability = Float.parseFloat(dropout);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dropout must be 'config' or a probability in [0, 1), got '" + dropout + "'");
        }
        require(probability >= 0 && probability < 1, "dropout must be 'config' or a probability in [0, 1), got " + dropout);
        return Optional.of(probability);
    }

    /** How the model's trainer computes steps: dropout resolved against the model's config, caching, seed. */
    public TrainingOptions trainingOptions(EncoderConfig model) {
        DropoutRates rates = dropoutOverride(dropout).map(p -> new DropoutRates(p, p)).orElse(DropoutRates.of(model));
        return new TrainingOptions(rates, miniBatchSize, seed);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A declared setting: its REST name, configuration property, default (null for none), meaning and Java type. */
    public record Declaration(String name, String property, String defaultValue, String description, Class<?> type) {
    }

    /** Every setting, in declaration order. */
    public static List<Declaration> declarations() {
        return Arrays.stream(RunSettings.class.getRecordComponents()).map(RunSettings::declaration).toList();
    }

    private static Declaration declaration(RecordComponent component) {
        Setting setting = component.getAnnotation(Setting.class);
        String name = PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(component.getName());
        String property = setting.property().isEmpty() ? "trainer.run." + name.replace('_', '-') : setting.property();
        String defaultValue = setting.defaultValue().equals(Setting.NONE) ? null : setting.defaultValue();
        return new Declaration(name, property, defaultValue, setting.description(), component.getType());
    }

    /** The declared defaults. */
    public static RunSettings defaults() {
        return fromProperties(property -> Optional.empty());
    }

    /**
     * The defaults overridden by configuration: {@code lookup} answers a property name
     * ({@code trainer.run.batch-size}) with its configured value, e.g. from MicroProfile Config, which
     * also finds it as {@code TRAINER_RUN_BATCH_SIZE} in the environment.
     */
    public static RunSettings fromProperties(Function<String, Optional<String>> lookup) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Declaration declaration : declarations()) {
            values.put(declaration.name(), lookup.apply(declaration.property()).orElse(declaration.defaultValue()));
        }
        return convert(values);
    }

    /** These settings with the fields present in {@code overrides} (snake_case names) replaced. */
    public RunSettings with(Map<String, Object> overrides) {
        Map<String, Object> merged = asMap();
        for (String key : overrides.keySet()) {
            if (!merged.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; known: " + merged.keySet());
            }
        }
        merged.putAll(overrides);
        return convert(merged);
    }

    /** The settings' own mapping: {@code "num_epochs": 1.5} is refused, not read as 1. */
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = Json.MAPPER.copy()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private static RunSettings convert(Map<String, Object> values) {
        try {
            return MAPPER.convertValue(values, RunSettings.class);
        } catch (IllegalArgumentException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(cause.getMessage(), e);
        }
    }

    public Map<String, Object> asMap() {
        return Json.MAPPER.convertValue(this, SETTINGS_MAP);
    }

    public ContrastiveOptions contrastiveOptions() {
        return new ContrastiveOptions(temperature, symmetricLoss, sharedEncoder, learnableTemperature, weightDecay);
    }

    public Metric primaryMetric() {
        return Metric.byKey(bestMetric);
    }
}
