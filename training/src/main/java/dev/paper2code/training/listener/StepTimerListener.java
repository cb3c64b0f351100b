package dev.paper2code.training.listener;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** {@code trainer_step_seconds} (a Micrometer timer, as the trainer-service exposes it): how long each optimizer step took (forward, backward, clipping, update). */
public final class StepTimerListener implements TrainingListener {
    private final Timer timer;

    public StepTimerListener(MeterRegistry meters) {
        this.timer = Timer.builder("trainer.step").description("one optimizer step").register(meters);
    }

    @Override
    public void onStep(RunContext run, StepResult step) {
        timer.record(step.nanos(), TimeUnit.NANOSECONDS);
    }
}
