package dev.paper2code.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.TrainingEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {
    private static final List<TrainingEvent> RUN = List.of(
            new TrainingEvent.RunStarted("run-1", Map.of("batch_size", 8, "train_pairs", 67, "num_epochs", 2)),
            new TrainingEvent.BatchLoss("run-1", 1, 5, 1.5, 1e-4),
            new TrainingEvent.EpochFinished("run-1", 1, 9, Map.of("train_loss", 1.4, "val_loss", 1.6, "recall@1", 0.2,
                    "mrr@10", 0.4, "pairs_per_second", 55.0)),
            new TrainingEvent.BatchLoss("run-1", 2, 10, 1.1, 1e-4),
            new TrainingEvent.EpochFinished("run-1", 2, 18, Map.of("train_loss", 1.0, "val_loss", 1.3, "recall@1", 0.3,
                    "mrr@10", 0.5, "pairs_per_second", 60.0)),
            new TrainingEvent.RunFinished("run-1", 18, "finished", Map.of()));

    private static String run(boolean terminal, List<String> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TrainingProgress progress = new TrainingProgress(terminal, out, lines::add);
        RUN.forEach(progress);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalEachEpochIsOnePlainLine() {
        List<String> lines = new ArrayList<>();
        assertEquals("", run(false, lines), "no bar when stdout is not a terminal");
        assertEquals(List.of("Epoch 1/2: train loss 1.4000, val loss 1.6000, Recall@1 0.200, MRR@10 0.400, 55.0 pairs/s",
                "Epoch 2/2: train loss 1.0000, val loss 1.3000, Recall@1 0.300, MRR@10 0.500, 60.0 pairs/s"), lines);
    }

    @Test
    void onATerminalEachEpochHasAProgressBarOfPairs() {
        List<String> lines = new ArrayList<>();
        String bar = run(true, lines);
        assertTrue(bar.contains("Epoch 1/2") && bar.contains("Epoch 2/2"), bar);
        assertTrue(bar.contains("67/67 pairs"), "each bar ends full: " + bar);
        assertTrue(bar.contains("loss 1.1000"), "the last batch loss is shown: " + bar);
        assertEquals(2, lines.size(), "and the epoch lines still follow");
    }

    @Test
    void theDatasetSummaryIsATable() {
        String info = """
                {"tokenizer":{"directory":"/w/tokenizer","format":"tokenizer.json","fingerprint":"aafd3faf84a7495782df","maxLength":512},
                 "splits":{"train":{"pairs":67,"paperTokens":{"count":67,"totalTokens":2979,"truncated":0},
                                    "codeTokens":{"count":67,"totalTokens":1688,"truncated":1}},
                           "val":{"pairs":15,"paperTokens":{"count":15,"totalTokens":662,"truncated":0},
                                  "codeTokens":{"count":15,"totalTokens":346,"truncated":0}}}}""";
        List<String> table = ReportLog.datasetTable(info);
        assertEquals(4, table.size(), String.join("\n", table));
        assertTrue(table.get(0).contains("max length 512"), table.get(0));
        assertTrue(table.get(2).matches("\\s+train\\s+67\\s+44\\.5 mean\\s+0\\s+25\\.2 mean\\s+1"), table.get(2));
        assertTrue(table.get(3).matches("\\s+val\\s+15\\s+44\\.1 mean\\s+0\\s+23\\.1 mean\\s+0"), table.get(3));
        assertEquals(List.of("Dataset info: not json"), ReportLog.datasetTable("not json"));
    }
}
