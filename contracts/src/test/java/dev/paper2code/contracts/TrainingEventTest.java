package dev.paper2code.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 21.5: one record per event, and the same JSON on the wire as docs/topics.md shows. */
class TrainingEventTest {
    private static final JsonSerde<TrainingEvent> SERDE = JsonSerde.of(TrainingEvent.class);
    private static final Instant AT = Instant.parse("2026-11-24T06:26:17Z");

    private static JsonNode wire(TrainingEvent event) throws Exception {
        return Json.MAPPER.readTree(new String(SERDE.serialize("t", event), StandardCharsets.UTF_8));
    }

    @Test
    void everyEventKeepsTheFieldNamesOfTheWireFormat() throws Exception {
        Map<TrainingEvent, String> expected = Map.of(
                new TrainingEvent.RunStarted("run-a", AT, Map.of("batch_size", 8)),
                "{\"type\":\"RUN_STARTED\",\"runId\":\"run-a\",\"at\":\"2026-11-24T06:26:17Z\",\"config\":{\"batch_size\":8}}",
                new TrainingEvent.RecordsSkipped("run-a", AT, Map.of("skipped", 1.0), "t-1@15 TOO_LONG"),
                "{\"type\":\"RECORDS_SKIPPED\",\"runId\":\"run-a\",\"at\":\"2026-11-24T06:26:17Z\",\"values\":{\"skipped\":1.0},\"detail\":\"t-1@15 TOO_LONG\"}",
                new TrainingEvent.BatchLoss("run-a", AT, 2, 10, 1.52, 4.9e-4),
                "{\"type\":\"BATCH_LOSS\",\"runId\":\"run-a\",\"at\":\"2026-11-24T06:26:17Z\",\"epoch\":2,\"step\":10,\"loss\":1.52,\"learningRate\":4.9E-4}",
                new TrainingEvent.EpochFinished("run-a", AT, 2, 18, Map.of("val_loss", 1.34)),
                "{\"type\":\"EPOCH_FINISHED\",\"runId\":\"run-a\",\"at\":\"2026-11-24T06:26:17Z\",\"epoch\":2,\"step\":18,\"values\":{\"val_loss\":1.34}}",
                new TrainingEvent.CheckpointSaved("run-a", AT, 2, 18, Map.of("val_loss", 1.34), "/c/best_model",
                        TrainingEvent.CheckpointSaved.Kind.BEST),
                "{\"type\":\"CHECKPOINT_SAVED\",\"runId\":\"run-a\",\"at\":\"2026-11-24T06:26:17Z\",\"epoch\":2,\"step\":18,\"values\":{\"val_loss\":1.34},\"path\":\"/c/best_model\",\"detail\":\"best\"}",
                new TrainingEvent.ModelPromoted("run-a", AT, Map.of("challenger", 0.9), "/c/champion", "no champion"),
                "{\"type\":\"MODEL_PROMOTED\",\"runId\":\"run-a\",\"at\":\"2026-11-24T06:26:17Z\",\"values\":{\"challenger\":0.9},\"path\":\"/c/champion\",\"detail\":\"no champion\"}",
                new TrainingEvent.RunFinished("run-a", AT, 72, Map.of("best_epoch", 8.0), "finished"),
                "{\"type\":\"RUN_FINISHED\",\"runId\":\"run-a\",\"at\":\"2026-11-24T06:26:17Z\",\"step\":72,\"values\":{\"best_epoch\":8.0},\"detail\":\"finished\"}",
                new TrainingEvent.RunFailed("run-b", AT, "not a checkpoint"),
                "{\"type\":\"RUN_FAILED\",\"runId\":\"run-b\",\"at\":\"2026-11-24T06:26:17Z\",\"detail\":\"not a checkpoint\"}",
                new TrainingEvent.SearchEvaluated("run-a", AT, 8, "/c/best_model", Map.of("mrr@10", 0.47), "hnsw"),
                "{\"type\":\"SEARCH_EVALUATED\",\"runId\":\"run-a\",\"at\":\"2026-11-24T06:26:17Z\",\"epoch\":8,\"path\":\"/c/best_model\",\"values\":{\"mrr@10\":0.47},\"detail\":\"hnsw\"}");
        for (Map.Entry<TrainingEvent, String> entry : expected.entrySet()) {
            assertEquals(Json.MAPPER.readTree(entry.getValue()), wire(entry.getKey()), entry.getKey().type().name());
            TrainingEvent read = SERDE.deserialize("t", entry.getValue().getBytes(StandardCharsets.UTF_8));
            assertEquals(entry.getKey(), read, "the documented JSON reads back as the same record");
        }
    }

    @Test
    void theKindOfACheckpointAndEachDecisionAreTyped() {
        TrainingEvent epoch = SERDE.deserialize("t", ("{\"type\":\"CHECKPOINT_SAVED\",\"runId\":\"r\",\"epoch\":1,\"step\":3,"
                + "\"path\":\"/c/checkpoint_epoch_1\",\"detail\":\"epoch\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(TrainingEvent.CheckpointSaved.Kind.EPOCH, assertInstanceOf(TrainingEvent.CheckpointSaved.class, epoch).kind());
        for (boolean promoted : List.of(true, false)) {
            TrainingEvent.ModelDecision decision = TrainingEvent.ModelDecision.of("r", promoted, Map.of(), "/c/champion", "why");
            assertEquals(promoted ? TrainingEvent.Type.MODEL_PROMOTED : TrainingEvent.Type.MODEL_KEPT, decision.type());
        }
    }

    @Test
    void anEventTypeThisVersionDoesNotKnowIsARefusedRecordNotAWrongOne() {
        // Consumers skip what they cannot read (search and the dashboard log it); they never mistake it for another type.
        assertThrows(RuntimeException.class, () -> SERDE.deserialize("t",
                "{\"type\":\"LEARNING_RATE_CHANGED\",\"runId\":\"r\"}".getBytes(StandardCharsets.UTF_8)));
    }
}
