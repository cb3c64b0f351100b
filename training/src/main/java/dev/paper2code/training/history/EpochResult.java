package dev.paper2code.training.history;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.paper2code.retrieval.evaluation.Metric;
import java.util.Map;

/**
 * One line of training_history.json. {@code trainPairs} were trained on; {@code leftOutPairs} of the
 * train split no batch of two or more could take (their paper or repository was in every batch).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EpochResult(
        int epoch,
        long step,
        double trainLoss,
        double valLoss,
        Map<String, Double> metrics,
        long trainPairs,
        long valPairs,
        double pairsPerSecond,
        double seconds,
        long leftOutPairs) {

    /** Without pairs left out (see {@link dev.paper2code.training.data.NoDuplicatesBatchAssembler}). */
    public EpochResult(int epoch, long step, double trainLoss, double valLoss, Map<String, Double> metrics,
            long trainPairs, long valPairs, double pairsPerSecond, double seconds) {
        this(epoch, step, trainLoss, valLoss, metrics, trainPairs, valPairs, pairsPerSecond, seconds, 0);
    }

    public double metric(Metric metric) {
        return metric(metric.key());
    }

    /** By its key ({@link Metric#key()}); NaN when this epoch has no such value. */
    public double metric(String key) {
        return key.equals(Metric.VAL_LOSS.key()) ? valLoss : metrics.getOrDefault(key, Double.NaN);
    }
}
