package dev.paper2code.trainer.api;

import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.run.RunStatus;
import dev.paper2code.trainer.run.TrainerService;
import dev.paper2code.training.run.TrainingRun;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Runs over HTTP. {@code POST /runs} with a JSON object of settings to override, e.g.
 * {@code {"batch_size": 16, "num_epochs": 5, "learning_rate": 3e-5, "resume_from": "checkpoints/checkpoint_epoch_1"}}.
 */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    @Inject
    TrainerService trainer;

    /** The body is read here rather than bound, so that a malformed one gets its parse error back, not an empty 400. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response start(String body) {
        TrainingRun run = trainer.start(RunRequest.settingsOverrides(body));
        return Response.accepted(run.status()).build();
    }

    @GET
    public List<RunStatus> list() {
        return trainer.all().stream().map(TrainingRun::status).toList();
    }

    @GET
    @Path("/current")
    public RunStatus current() {
        return trainer.current().map(TrainingRun::status).orElseThrow(() -> new NotFoundException("no run yet"));
    }

    @GET
    @Path("/{id}")
    public RunStatus get(@PathParam("id") String id) {
        return run(id).status();
    }

    @GET
    @Path("/{id}/history")
    public List<EpochResult> history(@PathParam("id") String id) {
        return run(id).history();
    }

    @POST
    @Path("/{id}/stop")
    public RunStatus stop(@PathParam("id") String id) {
        TrainingRun run = run(id);
        run.requestStop();
        return run.status();
    }

    private TrainingRun run(String id) {
        return trainer.find(id).orElseThrow(() -> new NotFoundException("no run " + id));
    }
}
