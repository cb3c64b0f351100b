package dev.paper2code.training.run;

/**
 * Linear warmup from 0 to the peak over the first {@code warmupSteps}, then linear decay to 0 at
 * {@code totalSteps}, as Hugging Face's {@code get_linear_schedule_with_warmup}. A function of the step
 * alone, so a resumed run continues at the same point of the schedule.
 */
public record LearningRateSchedule(float peak, long warmupSteps, long totalSteps) {

    public static LearningRateSchedule of(float peak, float warmupRatio, long totalSteps) {
        return new LearningRateSchedule(peak, (long) Math.ceil(warmupRatio * totalSteps), totalSteps);
    }

    /** Learning rate of the step that follows {@code stepsTaken} completed steps. */
    public float at(long stepsTaken) {
        if (stepsTaken < warmupSteps) {
            return peak * (stepsTaken + 1) / warmupSteps;
        }
        long remaining = totalSteps - stepsTaken;
        if (remaining <= 0) {
            return 0f;
        }
        return peak * remaining / Math.max(1, totalSteps - warmupSteps);
    }
}
