package dev.paper2code.trainer.health;

import dev.paper2code.trainer.run.TrainerService;
import dev.paper2code.training.run.TrainingRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** Live unless the last run failed; the response says what the current run is doing. */
@Liveness
@ApplicationScoped
public class TrainerHealth implements HealthCheck {
    @Inject
    TrainerService trainer;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("trainer").up();
        trainer.current().ifPresentOrElse(run -> {
            var status = run.status();
            response.withData("run", status.runId()).withData("state", status.state().name())
                    .withData("epoch", status.epoch()).withData("step", status.step());
            if (run.state() == TrainingRun.State.FAILED) {
                response.down().withData("failure", String.valueOf(status.failure()));
            }
        }, () -> response.withData("state", "idle"));
        return response.build();
    }
}
