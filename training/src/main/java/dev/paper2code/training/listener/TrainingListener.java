package dev.paper2code.training.listener;

import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.history.TrainingHistory;
import java.io.IOException;

/**
 * What happens around the training loop, as DJL's TrainingListener: logging, progress events,
 * checkpoints and best-model selection, metrics. The loop calls every listener in order on its own
 * thread; an exception from a listener fails the run (a checkpoint that cannot be written must not
 * pass silently), so a listener whose failures do not matter catches its own.
 */
public interface TrainingListener {
    default void onRunStart(RunContext run) {
    }

    default void onStep(RunContext run, StepResult step) {
    }

    default void onEpochEnd(RunContext run, EpochResult result, TrainingHistory history) throws IOException {
    }

    default void onRunEnd(RunContext run, RunOutcome outcome) {
    }

    /** The run failed before or during training; {@code run} is null when it failed before it was prepared. */
    default void onRunFailed(String runId, String reason) {
    }
}
