package dev.paper2code.training.history;

import dev.paper2code.retrieval.evaluation.Metric;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The epochs of a run so far (a resumed run starts with the history of its checkpoint) and the
 * metric that ranks them. Read by REST callers while the run's thread appends.
 */
public final class TrainingHistory {
    private final Metric metric;
    private final List<EpochResult> epochs = new CopyOnWriteArrayList<>();

    public TrainingHistory(Metric metric) {
        this.metric = metric;
    }

    public Metric metric() {
        return metric;
    }

    public void add(EpochResult result) {
        epochs.add(result);
    }

    public void addAll(List<EpochResult> results) {
        epochs.addAll(results);
    }

    public List<EpochResult> epochs() {
        return List.copyOf(epochs);
    }

    /**
     * The best epoch by the metric; among equals, the one with the lower val loss (a retrieval metric
     * saturates on a small val split: the sample's 15 papers reach MRR@10 1.0 in the first epoch, while
     * the loss still tells the epochs apart), then the earliest.
     */
    public Optional<EpochResult> best() {
        EpochResult best = null;
        for (EpochResult result : epochs) {
            if (best == null ? !Double.isNaN(result.metric(metric)) : beats(result, best)) {
                best = result;
            }
        }
        return Optional.ofNullable(best);
    }

    private boolean beats(EpochResult candidate, EpochResult incumbent) {
        if (metric.isBetter(candidate.metric(metric), incumbent.metric(metric))) {
            return true;
        }
        boolean tie = candidate.metric(metric) == incumbent.metric(metric);
        return tie && metric != Metric.VAL_LOSS && Metric.VAL_LOSS.isBetter(candidate.valLoss(), incumbent.valLoss());
    }

    /** Whether {@code result} is the best epoch so far (it must strictly beat every other one). */
    public boolean isBest(EpochResult result) {
        return best().map(best -> best.epoch() == result.epoch()).orElse(false);
    }
}
