package dev.paper2code.search;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.CheckpointLayout;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.retrieval.ModelRanking;
import dev.paper2code.retrieval.TestCheckpoints;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.TestCorpus;
import dev.paper2code.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * search-service on a real broker: no model -> 503; a promotion (MODEL_PROMOTED) -> the champion serves, and
 * every val paper's query through the REST API ranks the whole corpus as the model itself does (exact),
 * HNSW agreeing on the top 10; bad parameters are 400/404; a late repository is added without a
 * rebuild; a corrupt checkpoint or one outside the root is refused while the old index keeps serving.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaWithCorpusResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchServiceTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "search.checkpoint-root")
    String checkpointRoot;

    @ConfigProperty(name = "test.outside-root")
    String outsideRoot;

    @Test
    @Order(1)
    void beforeAnyModelQueriesAnswer503AndTheServiceIsNotReady() {
        given().queryParam("q", "contrastive retrieval").get("/search").then().statusCode(503)
                .body("error", containsString("no trained model yet"));
        given().get("/q/health/ready").then().statusCode(503);
    }

    /** Issue 15: the search API describes itself (OpenAPI and Swagger UI, in production too). */
    @Test
    @Order(1)
    void theOpenApiDescriptionListsTheSearchCallsAndSwaggerUiServesIt() {
        io.restassured.path.json.JsonPath openApi = given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(openApi.getMap("paths").keySet().containsAll(List.of("/search", "/search/papers/{arxivId}",
                "/search/evaluation", "/search/status")), openApi.getMap("paths").keySet().toString());
        assertTrue(openApi.getString("info.title").contains("search-service"));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger-ui"));
    }

    @Test
    @Order(2)
    void aBestCheckpointEventBuildsTheIndexAndEveryValPaperRanksAsTheModelDoes() throws Exception {
        Path best = TestCheckpoints.write(Path.of(checkpointRoot, "run-a", "best_model"), 11, "run-a", 2);
        promote("run-a", best);
        await().atMost(Duration.ofMinutes(1)).until(() -> given().get("/search/status").statusCode() == 200);
        given().get("/search/status").then().body("runId", equalTo("run-a")).body("epoch", equalTo(2))
                .body("repositories", equalTo(corpus().repositoryCount()));
        given().get("/q/health/ready").then().statusCode(200);

        Corpus corpus = corpus();
        int all = corpus.repositoryCount();
        try (ModelRanking reference = ModelRanking.open(best, corpus.repositories())) {
            for (String paper : KafkaWithCorpusResource.VAL_PAPERS) {
                String text = corpus.paper(paper).orElseThrow().text();
                List<ModelRanking.Scored> expected = reference.scored(text);
                Response exact = given().queryParam("k", all).queryParam("method", "exact").get("/search/papers/" + paper);
                exact.then().statusCode(200).body("checkpoint.run_id", equalTo("run-a"))
                        .body("checkpoint.epoch", equalTo(2)).body("method", equalTo("exact"));
                List<String> served = exact.jsonPath().getList("results.repository", String.class);
                ModelRanking.assertSameRanking(expected, served, paper);

                List<String> hnswTop10 = given().queryParam("k", 10).queryParam("method", "hnsw")
                        .get("/search/papers/" + paper).jsonPath().getList("results.repository", String.class);
                assertEquals(served.subList(0, 10), hnswTop10, "HNSW top 10 of " + paper);
            }
        }
        // The free-text endpoint answers the same as the paper endpoint for the paper's own text.
        String text = corpus.paper("p3").orElseThrow().text();
        assertEquals(given().queryParam("k", 5).get("/search/papers/p3").jsonPath().getList("results.repository"),
                given().queryParam("q", text).queryParam("k", 5).get("/search").jsonPath().getList("results.repository"));
    }

    @Test
    @Order(3)
    void badParametersAreClearErrors() {
        given().queryParam("q", " ").get("/search").then().statusCode(400).body("error", containsString("q is required"));
        given().get("/search").then().statusCode(400);
        given().queryParam("q", "x").queryParam("k", 0).get("/search").then().statusCode(400)
                .body("error", containsString("between 1 and 1000"));
        given().queryParam("q", "x").queryParam("k", 1001).get("/search").then().statusCode(400);
        given().queryParam("q", "x").queryParam("k", "ten").get("/search").then().statusCode(400)
                .body("error", containsString("whole number"));
        given().queryParam("q", "x").queryParam("method", "magic").get("/search").then().statusCode(400);
        given().get("/search/papers/0000.00000").then().statusCode(404).body("error", containsString("0000.00000"));
        given().queryParam("q", "contrastive retrieval ".repeat(300)).get("/search").then().statusCode(200)
                .body("query.truncated", equalTo(true)).body("query.tokens", equalTo(TestCheckpoints.MAX_LENGTH))
                .body("query.note", containsString("truncated"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("search_query_seconds_count"))
                .body(containsString("search_index_build_seconds_count"));
    }

    @Test
    @Order(4)
    void theEvaluationRanksTheValPapersAgainstEveryRepositoryAndIsPublished() {
        given().get("/search/evaluation").then().statusCode(200).body("runId", equalTo("run-a"))
                .body("metrics.queries", equalTo((float) KafkaWithCorpusResource.VAL_PAPERS.size()))
                .body("metrics.repositories", equalTo((float) corpus().repositoryCount()));
        List<ConsumerRecord<String, TrainingEvent>> events = TopicReader.readUntil(bootstrapServers,
                Topics.TRAINING_PROGRESS.name(), JsonSerde.of(TrainingEvent.class).deserializer(),
                records -> records.stream().anyMatch(r -> r.value().type() == TrainingEvent.Type.SEARCH_EVALUATED),
                Duration.ofSeconds(30));
        TrainingEvent.SearchEvaluated evaluated = events.stream().map(ConsumerRecord::value)
                .filter(TrainingEvent.SearchEvaluated.class::isInstance).map(TrainingEvent.SearchEvaluated.class::cast)
                .findFirst().orElseThrow();
        assertEquals("run-a", evaluated.runId());
        assertTrue(evaluated.values().keySet().containsAll(List.of("recall@1", "recall@5", "recall@10", "mrr@10",
                "ndcg@10")), evaluated.values().toString());
        // Issue 24: the same val papers and corpus ranked by keywords and by both fused, beside the model.
        assertTrue(evaluated.values().keySet().containsAll(List.of("bm25/recall@1", "bm25/mrr@10", "hybrid/recall@10")),
                evaluated.values().toString());
        io.restassured.path.json.JsonPath evaluation = given().get("/search/evaluation").jsonPath();
        assertEquals(List.of("trained", "bm25", "hybrid"), List.copyOf(evaluation.getMap("comparison").keySet()));
        assertEquals(((Number) evaluation.getMap("metrics").get("mrr@10")).doubleValue(),
                ((Number) evaluation.getMap("comparison.trained").get("mrr@10")).doubleValue(), 1e-9);
        assertEquals(given().get("/search/status").jsonPath().getString("fingerprint"), evaluation.getString("fingerprint"));
    }

    /** Issue 24: BM25 (keywords) and hybrid (dense and BM25 scores, standardised and summed) answer beside hnsw and exact. */
    @Test
    @Order(4)
    void bm25AndHybridAnswerBesideTheDenseMethods() {
        Response bm25 = given().queryParam("q", "owner3 experts").queryParam("k", 5).queryParam("method", "bm25")
                .get("/search");
        bm25.then().statusCode(200).body("method", equalTo("bm25"));
        assertEquals(List.of("owner3/repo-0", "owner3/repo-1"),
                bm25.jsonPath().getList("results.repository").subList(0, 2), bm25.asString());
        given().queryParam("k", 5).queryParam("method", "hybrid").get("/search/papers/p3").then().statusCode(200)
                .body("method", equalTo("hybrid")).body("results.size()", equalTo(5));
        given().queryParam("q", "x").queryParam("method", "magic").get("/search").then().statusCode(400)
                .body("error", containsString("hnsw, exact, bm25, hybrid"));
    }

    /**
     * Issue 20.1: a repository name of 100 KB (past Lucene's 32,766-byte term limit) used to fail every
     * build for good; now it is indexed (its key term is hashed) and the next build serves.
     */
    @Test
    @Order(6)
    void anImmenseRepositoryNameNeitherFailsTheIndexNorTheNextBuild() throws Exception {
        String immense = "huge/" + "n".repeat(100_000);
        TextPair pair = new TextPair("huge::" + immense.toLowerCase(java.util.Locale.ROOT), "huge", immense,
                "an immense name", immense + "\nimmense gigantic", "test", null, null);
        try (KafkaProducer<String, TextPair> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                Topics.PAIRS.keySerde().serializer(), Topics.PAIRS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.PAIRS.name(), pair.pairId(), pair)).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("k", 1).queryParam("method", "bm25")
                .queryParam("q", "gigantic").get("/search").jsonPath().getList("results.repository").contains(immense));
        Path rebuilt = TestCheckpoints.write(Path.of(checkpointRoot, "run-huge", "best_model"), 16, "run-huge", 1);
        promote("run-huge", rebuilt);
        await().atMost(Duration.ofMinutes(1)).until(() -> "run-huge".equals(
                given().get("/search/status").jsonPath().getString("runId")));
        given().get("/search/status").then().body("lastFailure", org.hamcrest.Matchers.nullValue())
                .body("skippedRepositories", equalTo(0));
        given().queryParam("q", "gigantic").queryParam("method", "exact").get("/search").then().statusCode(200);
        try (KafkaProducer<String, TextPair> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                Topics.PAIRS.keySerde().serializer(), Topics.PAIRS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.PAIRS.name(), pair.pairId(), null)).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !given().queryParam("k", 1000).queryParam("method", "bm25")
                .queryParam("q", "gigantic").get("/search").jsonPath().getList("results.repository").contains(immense));
    }

    @Test
    @Order(5)
    void aLateRepositoryIsSearchableWithoutARebuild() throws Exception {
        String indexBefore = given().get("/search/status").jsonPath().getString("indexDirectory");
        TextPair late = new TextPair("late::late/router", "late", "late/router", "router experts",
                "late/router\nrouter kernels for mixtures of experts", "test", "https://github.com/late/router", "late");
        try (KafkaProducer<String, TextPair> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                Topics.PAIRS.keySerde().serializer(), Topics.PAIRS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.PAIRS.name(), late.pairId(), late)).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("k", 1000)
                .queryParam("q", "router kernels").get("/search").jsonPath().getList("results.repository")
                .contains("late/router"));
        given().get("/search/papers/late").then().statusCode(200);
        assertEquals(indexBefore, given().get("/search/status").jsonPath().getString("indexDirectory"));
    }

    @Test
    @Order(7)
    void aCorruptCheckpointOrOneOutsideTheRootIsRefusedAndTheOldIndexKeepsServing() throws Exception {
        Path corrupt = TestCheckpoints.write(Path.of(checkpointRoot, "run-b", "best_model"), 12, "run-b", 1);
        Path weights = corrupt.resolve("paper_encoder/model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        Path outside = TestCheckpoints.write(Path.of(outsideRoot, "best_model"), 13, "run-c", 1);
        promote("run-b", corrupt);
        awaitRefusal("does not match its checksum");
        publishPromotion("run-c", outside.toString()); // a hostile event: the path itself, outside the root
        awaitRefusal("outside the checkpoint root");
        publishPromotion("run-d", checkpointRoot + "/../outside/best_model");
        awaitRefusal("checkpoints/../outside/best_model is outside the checkpoint root");
        Path good = TestCheckpoints.write(Path.of(checkpointRoot, "run-e", "best_model"), 14, "run-e", 4);
        promote("run-e", good);
        // The builder takes events in order: when run-e serves, run-b, run-c and run-d were all refused.
        await().atMost(Duration.ofMinutes(1)).until(() -> "run-e".equals(
                given().get("/search/status").jsonPath().getString("runId")));
        given().queryParam("q", "attention").get("/search").then().statusCode(200)
                .body("checkpoint.run_id", equalTo("run-e"));
    }

    @Test
    @Order(8)
    void aNewChampionBehindTheSameLinkIsRebuilt() throws Exception {
        // Every promotion names the same path, checkpoints/champion: what changed is the content behind it.
        String before = given().get("/search/status").jsonPath().getString("fingerprint");
        promote("run-f", TestCheckpoints.write(Path.of(checkpointRoot, "run-f", "best_model"), 15, "run-f", 5));
        await().atMost(Duration.ofMinutes(1)).until(() -> given().get("/search/status").jsonPath().getInt("epoch") == 5);
        String after = given().get("/search/status").jsonPath().getString("fingerprint");
        assertTrue(!after.equals(before), "the fingerprint did not change");
        assertEquals("run-f", given().get("/search/status").jsonPath().getString("runId"));
    }

    /**
     * Issue 21.3: search serves the champion. A challenger that saved a best model during its run and then
     * lost the champion decision (MODEL_KEPT) is never served; search used to follow every best-model
     * event and served it.
     */
    @Test
    @Order(9)
    void aChallengerThatLostIsNeverServed() throws Exception {
        String champion = given().get("/search/status").jsonPath().getString("fingerprint");
        Path challenger = TestCheckpoints.write(Path.of(checkpointRoot, "run-g", "best_model"), 17, "run-g", 2);
        publish(new TrainingEvent.CheckpointSaved("run-g", 2, 6, Map.of("mrr@10", 0.3), challenger.toString(),
                TrainingEvent.CheckpointSaved.Kind.BEST));
        publish(TrainingEvent.ModelDecision.of("run-g", false, Map.of("champion", 0.5, "challenger", 0.3),
                challenger.toString(), "mrr@10 on the current val split; the champion is as good or better"));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() ->
                champion.equals(given().get("/search/status").jsonPath().getString("fingerprint")));
        given().queryParam("q", "attention").get("/search").then().statusCode(200)
                .body("checkpoint.run_id", equalTo("run-f"));
    }

    /** The build failed for {@code reason} and run-huge (the one before) still serves. */
    private static void awaitRefusal(String reason) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var status = given().get("/search/status").jsonPath();
            return status.getString("lastFailure") != null && status.getString("lastFailure").contains(reason)
                    && status.getString("runId").equals("run-huge");
        });
    }

    /** As the trainer's champion decision does: the champion link switched to {@code model}, then MODEL_PROMOTED naming the link. */
    private void promote(String runId, Path model) throws Exception {
        Path root = Path.of(checkpointRoot);
        Path link = root.resolve(CheckpointLayout.CHAMPION);
        Path temporary = root.resolve(".champion.link-test");
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, root.toAbsolutePath().relativize(model.toAbsolutePath()));
        Files.move(temporary, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        publishPromotion(runId, link.toString());
    }

    private void publishPromotion(String runId, String path) throws Exception {
        publish(TrainingEvent.ModelDecision.of(runId, true, Map.of("challenger", 0.5), path, "test promotion"));
    }

    private void publish(TrainingEvent event) throws Exception {
        try (KafkaProducer<String, TrainingEvent> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), Topics.TRAINING_PROGRESS.keySerde().serializer(),
                Topics.TRAINING_PROGRESS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.TRAINING_PROGRESS.name(), event.runId(), event)).get();
        }
    }

    private static Corpus corpus() {
        return Corpus.of(TestCorpus.pairs(KafkaWithCorpusResource.PAPERS));
    }
}
