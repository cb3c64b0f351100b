package dev.paper2code.trainer.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.paper2code.contracts.Json;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.trainer.TrainerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a run is configured with; published in RUN_STARTED and stored in every checkpoint. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunSettings(
        int batchSize,
        int numEpochs,
        float learningRate,
        float warmupRatio,
        float temperature,
        float weightDecay,
        float maxGradNorm,
        long seed,
        boolean sharedEncoder,
        boolean symmetricLoss,
        boolean learnableTemperature,
        String bestMetric,
        String checkpointDir,
        String resumeFrom,
        String modelDir,
        String tokenizerPath,
        int shuffleBuffer,
        String trainTopic,
        String valTopic) {

    private static final TypeReference<LinkedHashMap<String, Object>> SETTINGS_MAP = new TypeReference<>() { };

    public static final List<String> METRICS = List.of("val_loss", "recall@1", "recall@5", "recall@10", "mrr@10");

    public RunSettings {
        require(batchSize >= 2, "batch_size must be at least 2 (in-batch negatives), got " + batchSize);
        require(numEpochs >= 1, "num_epochs must be at least 1, got " + numEpochs);
        require(learningRate > 0, "learning_rate must be positive, got " + learningRate);
        require(warmupRatio >= 0 && warmupRatio < 1, "warmup_ratio must be in [0, 1), got " + warmupRatio);
        require(temperature > 0, "temperature must be positive, got " + temperature);
        require(maxGradNorm > 0, "max_grad_norm must be positive, got " + maxGradNorm);
        require(METRICS.contains(bestMetric), "best_metric must be one of " + METRICS + ", got " + bestMetric);
        require(shuffleBuffer >= batchSize, "shuffle_buffer must hold at least one batch, got " + shuffleBuffer);
        require(checkpointDir != null && !checkpointDir.isBlank(), "checkpoint_dir is required");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public static RunSettings from(TrainerConfig config) {
        TrainerConfig.Run run = config.run();
        return new RunSettings(run.batchSize(), run.numEpochs(), run.learningRate(), run.warmupRatio(),
                run.temperature(), run.weightDecay(), run.maxGradNorm(), run.seed(), run.sharedEncoder(),
                run.symmetricLoss(), run.learnableTemperature(), run.bestMetric(), run.checkpointDir(),
                run.resumeFrom().orElse(null), run.modelDir().orElse(null), run.tokenizerPath().orElse(null),
                run.shuffleBuffer(), config.topics().train(), config.topics().val());
    }

    /** These settings with the fields present in {@code overrides} (snake_case names) replaced. */
    public RunSettings with(Map<String, Object> overrides) {
        Map<String, Object> merged = Json.MAPPER.convertValue(this,
                SETTINGS_MAP);
        for (String key : overrides.keySet()) {
            if (!merged.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; known: " + merged.keySet());
            }
        }
        merged.putAll(overrides);
        try {
            return Json.MAPPER.convertValue(merged, RunSettings.class);
        } catch (IllegalArgumentException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(cause.getMessage(), e);
        }
    }

    public Map<String, Object> asMap() {
        return Json.MAPPER.convertValue(this,
                SETTINGS_MAP);
    }

    public ContrastiveOptions contrastiveOptions() {
        return new ContrastiveOptions(temperature, symmetricLoss, sharedEncoder, learnableTemperature, weightDecay);
    }

    public boolean higherIsBetter() {
        return !bestMetric.equals("val_loss");
    }
}
