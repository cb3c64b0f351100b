package dev.paper2code.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void warmsUpLinearlyThenDecaysLinearlyToZero() {
        LearningRateSchedule schedule = LearningRateSchedule.of(1e-3f, 0.1f, 100);
        assertEquals(10, schedule.warmupSteps());
        assertEquals(1e-4f, schedule.at(0), 1e-9);
        assertEquals(1e-3f, schedule.at(9), 1e-9);
        assertEquals(1e-3f, schedule.at(10), 1e-9);
        assertEquals(0.5e-3f, schedule.at(55), 1e-9);
        assertEquals(1e-3f / 90, schedule.at(99), 1e-9);
        assertEquals(0f, schedule.at(100));
        assertEquals(0f, schedule.at(130), "steps past the estimate (an extra batch) train at 0, not negative");
    }

    @Test
    void withoutWarmupTheFirstStepUsesThePeak() {
        assertEquals(2e-5f, LearningRateSchedule.of(2e-5f, 0f, 30).at(0), 1e-12);
    }
}
