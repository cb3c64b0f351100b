package dev.paper2code.trainer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.testkit.TopicReader;
import dev.paper2code.trainer.run.TrainerService;
import dev.paper2code.training.run.TrainingRun;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: with trainer.follow on, new pairs on the train topic start a warm-start run from the
 * champion without anyone asking; its model is promoted or kept after both were evaluated on the
 * same val split, and its events say what triggered it.
 */
@QuarkusTest
@TestProfile(FollowTrainingTest.Following.class)
@QuarkusTestResource(value = KafkaWithTokenizedPairsResource.class, restrictToAnnotatedClass = true)
class FollowTrainingTest {
    public static final class Following implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trainer.follow.enabled", "true", "trainer.follow.check-interval", "1s",
                    "trainer.follow.min-interval", "1s", "trainer.follow.min-new-pairs", "10",
                    "trainer.follow.num-epochs", "1", "trainer.follow.learning-rate", "5e-4");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    TrainerService trainer;

    @Test
    void newPairsStartAWarmStartRunFromTheChampionThatIsPromotedOrKeptOnTheSameValSplit() {
        String first = given().contentType(ContentType.JSON).body("{\"num_epochs\": 2}").post("/runs").then()
                .statusCode(202).extract().path("run_id");
        await().atMost(Duration.ofMinutes(2)).until(() -> "FINISHED".equals(
                given().get("/runs/" + first).then().extract().path("state")));
        Thread.yield();
        assertEquals(1, trainer.all().size(), "nothing new arrived: no follow-up run yet");

        // Twelve new pairs: copies of train records under new pair ids.
        publishNewPairs(0, 12);

        await().atMost(Duration.ofMinutes(2)).until(() -> trainer.all().size() == 2
                && !trainer.all().get(1).isActive());
        TrainingRun followUp = trainer.all().get(1);
        assertEquals(TrainingRun.State.FINISHED, followUp.state(), String.valueOf(followUp.status().failure()));
        assertTrue(followUp.trigger().startsWith("follow: ") && followUp.trigger().endsWith(" new pairs"),
                followUp.trigger());
        assertTrue(followUp.status().settings().warmStartFrom().endsWith("champion"));

        List<TrainingEvent> events = TopicReader.readUntil(bootstrapServers, Topics.TRAINING_PROGRESS.name(),
                        JsonSerde.of(TrainingEvent.class), read -> read.stream().anyMatch(r -> r.key().equals(followUp.runId())
                                && r.value().type() == TrainingEvent.Type.RUN_FINISHED), Duration.ofSeconds(30))
                .stream().filter(r -> r.key().equals(followUp.runId())).map(ConsumerRecord::value).toList();
        TrainingEvent.RunStarted started = (TrainingEvent.RunStarted) events.get(0);
        assertEquals(followUp.trigger(), started.config().get("trigger"));
        TrainingEvent.ModelDecision decision = events.stream().filter(TrainingEvent.ModelDecision.class::isInstance)
                .map(TrainingEvent.ModelDecision.class::cast).findFirst().orElseThrow();
        assertTrue(decision.values().containsKey("champion") && decision.values().containsKey("challenger"),
                decision.values().toString());
        assertTrue(decision.reason().contains("current val split") && decision.reason().contains("follow: "),
                decision.reason());

        // Issue 20.10: a follow-up that a user stops stays stopped until pairs newer than the stop arrive
        // (the next one started 5 s later, on the very pairs the user had stopped training on).
        publishNewPairs(100, 12);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> trainer.all().size() == 3);
        TrainingRun stopped = trainer.all().get(2);
        given().post("/runs/" + stopped.runId() + "/stop").then().statusCode(200);
        await().atMost(Duration.ofMinutes(1)).until(() -> !stopped.isActive());
        assertEquals(TrainingRun.State.STOPPED, stopped.state());
        publishNewPairs(200, 5); // fewer than min-new-pairs (10) since the stop, though 17 since the last run
        sleepThroughChecks();
        assertEquals(3, trainer.all().size(), "a user's stop holds while fewer than min-new-pairs arrived since");
        publishNewPairs(300, 5);
        await().atMost(Duration.ofMinutes(1)).until(() -> trainer.all().size() == 4);
        await().atMost(Duration.ofMinutes(2)).until(() -> !trainer.all().get(3).isActive());
    }

    private static void sleepThroughChecks() {
        try {
            Thread.sleep(4_000); // four follow checks (check-interval and min-interval 1 s)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code count} new pairs: copies of train records under new pair ids numbered from {@code first}. */
    private void publishNewPairs(int first, int count) {
        List<ConsumerRecord<String, TokenizedPair>> train = TopicReader.readAll(bootstrapServers,
                Topics.TOKENIZED_TRAIN.name(), JsonSerde.of(TokenizedPair.class));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = first; i < first + count; i++) {
                TokenizedPair p = train.stream().map(ConsumerRecord::value).filter(v -> v != null && v.pairId() != null)
                        .skip(i - first).findFirst().orElseThrow();
                TokenizedPair copy = new TokenizedPair("new-" + i + "::" + p.repository() + "-" + i, "new-" + i,
                        p.repository() + "-" + i, p.split(), p.paperInputIds(), p.paperAttentionMask(), p.paperTruncated(),
                        p.codeInputIds(), p.codeAttentionMask(), p.codeTruncated(), p.tokenizerFingerprint(), p.maxLength());
                producer.send(new ProducerRecord<>(Topics.TOKENIZED_TRAIN.name(), copy.pairId(),
                        Topics.TOKENIZED_TRAIN.serializeValue(copy)));
            }
        }
    }
}
