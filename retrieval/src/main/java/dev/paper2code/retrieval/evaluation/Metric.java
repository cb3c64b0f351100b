package dev.paper2code.retrieval.evaluation;

import java.util.Arrays;
import java.util.List;

/**
 * Every quantity a model is judged by: the name it has in settings, events, history, search's evaluation
 * and metrics, and whether higher is better (the primary metric's direction, as sentence-transformers'
 * evaluators declare it). Defined here once; nothing else spells these names.
 */
public enum Metric {
    VAL_LOSS("val_loss", false),
    RECALL_AT_1("recall@1", true),
    RECALL_AT_5("recall@5", true),
    RECALL_AT_10("recall@10", true),
    MRR_AT_10("mrr@10", true),
    NDCG_AT_10("ndcg@10", true);

    private final String key;
    private final boolean higherIsBetter;

    Metric(String key, boolean higherIsBetter) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
    }

    public String key() {
        return key;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** True when {@code candidate} beats {@code incumbent}; NaN never wins, and anything beats NaN. Ties keep the incumbent. */
    public boolean isBetter(double candidate, double incumbent) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(incumbent)) {
            return true;
        }
        return higherIsBetter ? candidate > incumbent : candidate < incumbent;
    }

    /** The ranking metrics ({@link CodeSearchMetrics} computes them), in their order. */
    public static List<Metric> ranking() {
        return Arrays.stream(values()).filter(m -> m != VAL_LOSS).toList();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Metric::key).toList();
    }

    public static Metric byKey(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric " + key + "; known: " + keys()));
    }
}
