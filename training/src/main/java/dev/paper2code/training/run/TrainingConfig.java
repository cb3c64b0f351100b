package dev.paper2code.training.run;

import dev.paper2code.training.listener.TrainingListener;
import dev.paper2code.training.settings.RunSettings;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a {@link TrainingRun} is set up with besides its data, as DJL's {@code DefaultTrainingConfig}:
 * the run settings, how often progress is reported, and listeners of the caller's own (metrics, say),
 * called after the run's progress events, log lines and checkpoints.
 *
 * @param logEverySteps optimizer steps per batch-loss event and progress log line
 */
public record TrainingConfig(RunSettings settings, int logEverySteps, List<TrainingListener> listeners) {
    public TrainingConfig {
        if (logEverySteps < 1) {
            throw new IllegalArgumentException("logEverySteps must be at least 1, was " + logEverySteps);
        }
        listeners = List.copyOf(listeners);
    }

    /** {@code settings}, a progress line every 10 steps, no listeners of the caller's. */
    public static TrainingConfig of(RunSettings settings) {
        return new TrainingConfig(settings, 10, List.of());
    }

    public TrainingConfig logEvery(int steps) {
        return new TrainingConfig(settings, steps, listeners);
    }

    public TrainingConfig addTrainingListeners(TrainingListener... more) {
        return new TrainingConfig(settings, logEverySteps, Stream.concat(listeners.stream(), Stream.of(more)).toList());
    }
}
