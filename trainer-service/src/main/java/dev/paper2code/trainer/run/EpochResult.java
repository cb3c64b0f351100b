package dev.paper2code.trainer.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/** One line of training_history.json. */
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
        double seconds) {

    public double metric(String name) {
        return name.equals("val_loss") ? valLoss : metrics.getOrDefault(name, Double.NaN);
    }
}
