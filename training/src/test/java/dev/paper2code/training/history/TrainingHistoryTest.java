package dev.paper2code.training.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.paper2code.retrieval.evaluation.Metric;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingHistoryTest {
    private static EpochResult epoch(int n, double valLoss, double mrr) {
        return new EpochResult(n, n * 10L, 1.0, valLoss, Map.of("mrr@10", mrr), 67, 15, 10, 1);
    }

    @Test
    void aSaturatedRetrievalMetricIsDecidedByTheValLossThenByTheEarliestEpoch() {
        TrainingHistory history = new TrainingHistory(Metric.MRR_AT_10);
        history.add(epoch(1, 0.0992, 1.0));
        history.add(epoch(2, 0.0862, 1.0));
        history.add(epoch(3, 0.0809, 1.0));
        assertEquals(3, history.best().orElseThrow().epoch(), "MRR@10 1.0 three times: the lowest val loss");
        history.add(epoch(4, 0.0700, 0.9));
        assertEquals(3, history.best().orElseThrow().epoch(), "the metric decides first");
        history.add(epoch(5, 0.0809, 1.0));
        assertEquals(3, history.best().orElseThrow().epoch(), "a full tie keeps the earliest");

        TrainingHistory byLoss = new TrainingHistory(Metric.VAL_LOSS);
        byLoss.add(epoch(1, 0.5, 0.1));
        byLoss.add(epoch(2, 0.5, 0.9));
        assertEquals(1, byLoss.best().orElseThrow().epoch(), "val loss ties keep the earliest");
    }
}
