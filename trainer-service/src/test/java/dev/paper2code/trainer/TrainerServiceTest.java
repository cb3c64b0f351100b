package dev.paper2code.trainer;

import dev.paper2code.training.run.TrainingRun;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.testkit.TopicReader;
import dev.paper2code.training.settings.RunSettings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The running trainer-service: runs started and inspected over REST, progress read back from the
 * broker as a subscriber would, health and metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaWithTokenizedPairsResource.class, restrictToAnnotatedClass = true)
class TrainerServiceTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Paths of a run must lie under it (trainer.paths.checkpoint-root defaults to the configured checkpoint dir). */
    @ConfigProperty(name = "trainer.run.checkpoint-dir")
    java.nio.file.Path checkpointRoot;

    @Test
    void aRunStartedOverRestTrainsAndEverySubscriberSeesEveryEventType() {
        given().contentType(ContentType.JSON).body("{\"batch_sze\": 4}")
                .post("/runs").then().statusCode(400).body("error", containsString("unknown setting 'batch_sze'"));
        given().contentType(ContentType.JSON).body("{\"batch_size\": 1}")
                .post("/runs").then().statusCode(400).body("error", containsString("batch_size must be at least 2"));

        String failedRun = given().contentType(ContentType.JSON).body("{\"resume_from\": \"" + checkpointRoot.resolve("nonexistent") + "\"}")
                .post("/runs").then().statusCode(202).extract().path("run_id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(
                given().get("/runs/" + failedRun).then().extract().path("state")));
        given().get("/q/health/live").then().statusCode(503).body("checks[0].data.failure",
                containsString("not a trainer checkpoint"));

        String runId = given().contentType(ContentType.JSON).body("{\"num_epochs\": 2, \"batch_size\": 6}")
                .post("/runs").then().statusCode(202).body("settings.batch_size", equalTo(6))
                .extract().path("run_id");
        given().contentType(ContentType.JSON).body("{}").post("/runs").then().statusCode(409);
        await().atMost(Duration.ofMinutes(2)).until(() -> "FINISHED".equals(
                given().get("/runs/" + runId).then().extract().path("state")));

        List<Object> history = given().get("/runs/" + runId + "/history").then().statusCode(200).extract().path("$");
        assertEquals(2, history.size());
        given().get("/runs/current").then().body("run_id", equalTo(runId)).body("history[1].epoch", equalTo(2));
        given().get("/q/health/live").then().statusCode(200).body("checks[0].data.state", equalTo("FINISHED"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("trainer_val_loss"))
                .body(containsString("trainer_step_seconds_count"))
                .body(containsString("trainer_consumer_lag"));

        // A run that learns nothing (lr 1e-9): its model is kept out of the champion's place (MODEL_KEPT).
        String worseRun = given().contentType(ContentType.JSON).body("{\"num_epochs\": 1, \"learning_rate\": 1e-9}")
                .post("/runs").then().statusCode(202).extract().path("run_id");
        await().atMost(Duration.ofMinutes(2)).until(() -> "FINISHED".equals(
                given().get("/runs/" + worseRun).then().extract().path("state")));

        List<ConsumerRecord<String, TrainingEvent>> events = TopicReader.readUntil(bootstrapServers,
                Topics.TRAINING_PROGRESS.name(), JsonSerde.of(TrainingEvent.class).deserializer(),
                records -> List.of(runId, worseRun).stream().allMatch(id -> records.stream().anyMatch(r ->
                        r.key().equals(id) && r.value().type() == TrainingEvent.Type.RUN_FINISHED)), Duration.ofSeconds(30));
        Set<TrainingEvent.Type> types = events.stream().map(r -> r.value().type())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(TrainingEvent.Type.class)));
        // Every type the trainer publishes (SEARCH_EVALUATED is search-service's; SearchServiceTest sees it).
        assertEquals(EnumSet.complementOf(EnumSet.of(TrainingEvent.Type.SEARCH_EVALUATED)), types);

        List<TrainingEvent> ofRun = events.stream().filter(r -> r.key().equals(runId)).map(ConsumerRecord::value).toList();
        assertEquals(TrainingEvent.Type.RUN_STARTED, ofRun.get(0).type());
        assertEquals(6, ((Number) ((TrainingEvent.RunStarted) ofRun.get(0)).config().get("batch_size")).intValue());
        assertEquals(TrainingEvent.Type.RUN_FINISHED, ofRun.get(ofRun.size() - 1).type());
        List<TrainingEvent.EpochFinished> epochs = ofRun.stream().filter(TrainingEvent.EpochFinished.class::isInstance)
                .map(TrainingEvent.EpochFinished.class::cast).toList();
        assertEquals(2, epochs.size());
        assertTrue(epochs.get(1).values().keySet().containsAll(Set.of("train_loss", "val_loss", "recall@1", "recall@5",
                "recall@10", "mrr@10", "pairs_per_second")), epochs.get(1).values().toString());
        assertTrue(ofRun.stream().anyMatch(e -> e instanceof TrainingEvent.CheckpointSaved saved
                && saved.kind() == TrainingEvent.CheckpointSaved.Kind.BEST && saved.path().endsWith("best_model")));
        assertTrue(events.stream().anyMatch(r -> r.key().equals(failedRun)
                && r.value().type() == TrainingEvent.Type.RUN_FAILED));
    }

    @Test
    void aRunStoppedOverRestEndsBetweenTwoStepsAndSaysSo() {
        String runId = given().contentType(ContentType.JSON)
                .body("{\"num_epochs\": 500, \"checkpoint_dir\": \"" + checkpointRoot.resolve("stopped-run") + "\"}")
                .post("/runs").then().statusCode(202).extract().path("run_id");
        await().atMost(Duration.ofMinutes(1)).until(() -> given().get("/runs/" + runId).then().extract()
                .<Integer>path("step") > 0);
        given().post("/runs/" + runId + "/stop").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "STOPPED".equals(
                given().get("/runs/" + runId).then().extract().path("state")));
        given().post("/runs/nonexistent/stop").then().statusCode(404);

        // A run that learns nothing (lr 1e-9): its model is kept out of the champion's place (MODEL_KEPT).
        String worseRun = given().contentType(ContentType.JSON).body("{\"num_epochs\": 1, \"learning_rate\": 1e-9}")
                .post("/runs").then().statusCode(202).extract().path("run_id");
        await().atMost(Duration.ofMinutes(2)).until(() -> "FINISHED".equals(
                given().get("/runs/" + worseRun).then().extract().path("state")));

        List<ConsumerRecord<String, TrainingEvent>> events = TopicReader.readUntil(bootstrapServers,
                Topics.TRAINING_PROGRESS.name(), JsonSerde.of(TrainingEvent.class).deserializer(),
                records -> List.of(runId, worseRun).stream().allMatch(id -> records.stream().anyMatch(r ->
                        r.key().equals(id) && r.value().type() == TrainingEvent.Type.RUN_FINISHED)), Duration.ofSeconds(30));
        TrainingEvent.RunFinished end = (TrainingEvent.RunFinished) events.stream().filter(r -> r.key().equals(runId))
                .map(ConsumerRecord::value).reduce((a, b) -> b).orElseThrow();
        assertTrue(end.status().startsWith("stopped during epoch"), end.status());
    }

    /** Issue 15: the REST API describes itself, the run settings included, from RunSettings' declarations. */
    @Test
    void theOpenApiDescriptionDocumentsEveryRunSettingAndSwaggerUiServesIt() {
        io.restassured.path.json.JsonPath openApi = given().accept(ContentType.JSON).get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("#/components/schemas/RunSettings",
                openApi.getString("paths.'/runs'.post.requestBody.content.'application/json'.schema.$ref"));
        for (RunSettings.Declaration declaration : RunSettings.declarations()) {
            String field = "components.schemas.RunSettings.properties." + declaration.name();
            assertTrue(openApi.getString(field + ".description").contains(declaration.description()), declaration.name());
            assertTrue(openApi.getString(field + ".description").contains(declaration.property()), declaration.name());
            if (declaration.defaultValue() == null) {
                assertEquals(null, openApi.getString(field + ".default"), declaration.name());
            } else if (declaration.type() == String.class || declaration.type() == boolean.class) {
                assertEquals(declaration.defaultValue(), openApi.getString(field + ".default"), declaration.name());
            } else {
                assertEquals(Double.parseDouble(declaration.defaultValue()), openApi.getDouble(field + ".default"), 1e-12,
                        declaration.name());
            }
        }
        assertEquals("integer", openApi.getString("components.schemas.RunSettings.properties.batch_size.type"));
        assertEquals("number", openApi.getString("components.schemas.RunSettings.properties.learning_rate.type"));
        assertEquals("boolean", openApi.getString("components.schemas.RunSettings.properties.shared_encoder.type"));
        assertTrue(openApi.getMap("paths").keySet().containsAll(Set.of("/runs", "/runs/{id}", "/runs/{id}/stop")));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger-ui"));
    }

    /** Issue 15: the dashboard page, its chart library and the progress topic as server-sent events. */
    @Test
    void theDashboardIsServedAndItsEventStreamReplaysThePastThenFollows() throws Exception {
        given().get("/").then().statusCode(200).body(containsString("paper2code trainer"))
                .body(containsString("webjars/chart.js/dist/chart.umd.js"));
        given().get("/webjars/chart.js/dist/chart.umd.js").then().statusCode(200).body(containsString("Chart.js"));
        given().get("/dashboard.js").then().statusCode(200).body(containsString("EventSource"));
        given().get("/dashboard/config").then().statusCode(200).body("search", equalTo(false));
        given().queryParam("q", "x").get("/dashboard/search").then().statusCode(404)
                .body("error", containsString("no search service configured (trainer.dashboard.search-url)"));

        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.URI events = java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + "/dashboard/events");
        List<String> live = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<?> following = client.sendAsync(
                java.net.http.HttpRequest.newBuilder(events).header("Accept", "text/event-stream").build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().forEach(live::add));
        String runId = given().contentType(ContentType.JSON).body("{\"num_epochs\": 1}")
                .post("/runs").then().statusCode(202).extract().path("run_id");
        await().atMost(Duration.ofMinutes(2)).until(() -> live.stream().anyMatch(line -> line.startsWith("data:")
                && line.contains("\"RUN_FINISHED\"") && line.contains(runId)));
        assertTrue(live.stream().anyMatch(line -> line.contains("\"EPOCH_FINISHED\"") && line.contains(runId)),
                "the epoch arrived live");
        following.cancel(true);

        // A page opened afterwards gets the run's past from the stream first.
        List<String> replay = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<?> late = client.sendAsync(
                java.net.http.HttpRequest.newBuilder(events).build(), java.net.http.HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().forEach(replay::add));
        await().atMost(Duration.ofSeconds(30)).until(() -> replay.stream().anyMatch(line -> line.contains("\"RUN_FINISHED\"")
                && line.contains(runId)));
        List<String> ofRun = replay.stream().filter(line -> line.startsWith("data:") && line.contains(runId)).toList();
        assertTrue(ofRun.get(0).contains("\"RUN_STARTED\""), ofRun.get(0));
        late.cancel(true);
    }

    /** Issue 10.8: a malformed body got a 400 with an empty body, an empty body started a default run. */
    @Test
    void malformedRunRequestsAreRefusedWithTheReason() {
        given().contentType(ContentType.JSON).body("{\"num_epochs\": 2,").post("/runs").then().statusCode(400)
                .body("error", containsString("not valid JSON at line 1"));
        given().contentType(ContentType.JSON).body("").post("/runs").then().statusCode(400)
                .body("error", containsString("must be a JSON object"));
        given().contentType(ContentType.JSON).body("[1, 2]").post("/runs").then().statusCode(400)
                .body("error", containsString("not ARRAY"));
        given().contentType(ContentType.JSON).body("{\"learning_rate\": 1e30}").post("/runs").then().statusCode(400)
                .body("error", containsString("learning_rate must be in (0, 1]"));
        given().contentType(ContentType.JSON).body("{\"num_epochs\": 1000000000}").post("/runs").then().statusCode(400)
                .body("error", containsString("num_epochs must be in [1, 10000]"));
        given().get("/runs/nonexistent").then().statusCode(404).body("error", containsString("no run nonexistent"));
    }

    @Inject
    dev.paper2code.trainer.run.TrainerService trainer;

    /**
     * Issue 10.5: with auto-start, a restarted trainer started a fresh run that overwrote the killed
     * run's checkpoint_epoch_N and best_model. Each run now writes under its own id, and auto-start
     * resumes the interrupted run from its newest checkpoint, under its id, with its settings.
     */
    @Test
    void aRunInterruptedByARestartIsResumedUnderItsOwnIdWithoutOverwritingAnything() throws Exception {
        await().atMost(Duration.ofMinutes(2)).until(() -> trainer.current().map(r -> !r.isActive()).orElse(true));
        String runId = given().contentType(ContentType.JSON).body("{\"num_epochs\": 3, \"batch_size\": 6}")
                .post("/runs").then().statusCode(202).extract().path("run_id");
        java.nio.file.Path firstCheckpoint = checkpointRoot.resolve(runId).resolve("checkpoint_epoch_1");
        await().atMost(Duration.ofMinutes(1)).until(() -> java.nio.file.Files.isRegularFile(firstCheckpoint.resolve("checksums.sha256")));
        trainer.find(runId).orElseThrow().requestStop("shutdown"); // what the service does on SIGTERM
        await().atMost(Duration.ofSeconds(30)).until(() -> "STOPPED".equals(
                given().get("/runs/" + runId).then().extract().path("state")));
        String sumsBefore = java.nio.file.Files.readString(firstCheckpoint.resolve("checksums.sha256"));

        dev.paper2code.training.run.TrainingRun resumed = trainer.startOrResume(); // what auto-start does after a restart
        assertEquals(runId, resumed.runId());
        await().atMost(Duration.ofMinutes(2)).until(() -> !resumed.isActive());
        assertEquals(dev.paper2code.training.run.TrainingRun.State.FINISHED, resumed.state(),
                String.valueOf(resumed.status().failure()));
        assertEquals(3, resumed.history().size());
        assertTrue(resumed.status().settings().resumeFrom().startsWith(checkpointRoot.resolve(runId).toString()),
                "resumed from its own newest checkpoint: " + resumed.status().settings().resumeFrom());
        assertEquals(sumsBefore, java.nio.file.Files.readString(firstCheckpoint.resolve("checksums.sha256")),
                "the checkpoint it resumed from is untouched");

        dev.paper2code.training.run.TrainingRun fresh = trainer.startOrResume(); // nothing interrupted now
        assertTrue(!fresh.runId().equals(runId), "a new run gets a new directory");
        fresh.requestStop();
        await().atMost(Duration.ofMinutes(1)).until(() -> !fresh.isActive());
        assertTrue(java.nio.file.Files.isRegularFile(checkpointRoot.resolve(runId).resolve("checkpoint_epoch_3")
                .resolve("checksums.sha256")));
        // Issue 10.8 (RSS grew run after run): every run trains on the same long-lived thread.
        assertEquals(List.of(dev.paper2code.trainer.run.TrainerService.RUN_THREAD), trainer.all().stream()
                .map(dev.paper2code.training.run.TrainingRun::threadName).filter(java.util.Objects::nonNull).distinct()
                .toList());
    }
}
