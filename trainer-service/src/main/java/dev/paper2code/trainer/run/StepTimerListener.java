package dev.paper2code.trainer.run;

import dev.paper2code.trainer.listener.RunContext;
import dev.paper2code.trainer.listener.StepResult;
import dev.paper2code.trainer.listener.TrainingListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** {@code trainer_step_seconds}: how long each optimizer step took (forward, backward, clipping, update). */
final class StepTimerListener implements TrainingListener {
    private final Timer timer;

    StepTimerListener(MeterRegistry meters) {
        this.timer = Timer.builder("trainer.step").description("one optimizer step").register(meters);
    }

    @Override
    public void onStep(RunContext run, StepResult step) {
        timer.record(step.nanos(), TimeUnit.NANOSECONDS);
    }
}
