package dev.paper2code.launcher;

import dev.paper2code.contracts.Topics;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The local run's summary: what arrived on each topic, the dataset, and how training went. */
final class ReportLog {
    private ReportLog() {
    }

    static void print(LocalPipeline.Report report, String runId, String datasetInfo, Path checkpoints, Consumer<String> log) {
        log.accept("Topic " + Topics.PAIRS.name() + ": " + report.pairs() + " pairs");
        log.accept("Topic " + Topics.TOKENIZED_TRAIN.name() + ": " + report.train() + " tokenized pairs");
        log.accept("Topic " + Topics.TOKENIZED_VAL.name() + ": " + report.val() + " tokenized pairs");
        log.accept("Topic " + Topics.DEAD_LETTERS.name() + ": " + report.deadLetters() + " dead letters "
                + report.deadLettersByReason());
        log.accept("Dataset info: " + datasetInfo);
        log.accept("Training " + runId + ": " + report.trainingEnd() + " after " + report.epochs().size() + " epochs");
        if (report.epochs().isEmpty()) {
            return;
        }
        Map<String, Double> first = report.epochs().get(0);
        Map<String, Double> last = report.epochs().get(report.epochs().size() - 1);
        log.accept(String.format(Locale.ROOT, "  val loss %.4f -> %.4f, Recall@1 %.3f -> %.3f, MRR@10 %.3f -> %.3f",
                first.get("val_loss"), last.get("val_loss"), first.get("recall@1"), last.get("recall@1"),
                first.get("mrr@10"), last.get("mrr@10")));
        Path best = checkpoints.resolve("best_model");
        log.accept("  best model: " + best + "  (try: bin/embed --model-dir " + best + " --text \"...\")");
        log.accept("  serving model (champion): " + checkpoints.resolve("champion"));
    }
}
