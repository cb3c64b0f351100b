package dev.paper2code.training.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.settings.RunSettings;
import java.util.List;

/** What GET /runs/{id} answers. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunStatus(
        String runId,
        TrainingRun.State state,
        int epoch,
        long step,
        long totalSteps,
        Double lastBatchLoss,
        String failure,
        String device,
        RunSettings settings,
        List<EpochResult> history) {
}
