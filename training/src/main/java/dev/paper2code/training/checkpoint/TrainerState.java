package dev.paper2code.training.checkpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.settings.RunSettings;
import java.util.List;

/** trainer_state.json: where a run stood when a checkpoint was written. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainerState(
        String runId,
        int epoch,
        long step,
        long totalSteps,
        String tokenizerFingerprint,
        RunSettings settings,
        List<EpochResult> history) {
}
