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

    /**
     * The tokenizer's /dataset-info as a small table: pairs, mean tokens and truncated texts per split
     * and side. Falls back to the raw JSON when it is not the expected shape.
     */
    static java.util.List<String> datasetTable(String datasetInfo) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        try {
            com.fasterxml.jackson.databind.JsonNode info = dev.paper2code.contracts.Json.MAPPER.readTree(datasetInfo);
            com.fasterxml.jackson.databind.JsonNode tokenizer = info.path("tokenizer");
            lines.add(String.format(Locale.ROOT, "Dataset (tokenizer %s, %s, max length %d, fingerprint %.12s):",
                    tokenizer.path("directory").asText(), tokenizer.path("format").asText(), tokenizer.path("maxLength").asInt(),
                    tokenizer.path("fingerprint").asText()));
            lines.add(String.format(Locale.ROOT, "  %-6s %6s  %12s %10s  %12s %10s", "split", "pairs", "paper tokens",
                    "truncated", "code tokens", "truncated"));
            for (String split : new String[] {"train", "val"}) {
                com.fasterxml.jackson.databind.JsonNode node = info.path("splits").path(split);
                if (node.isMissingNode()) {
                    continue;
                }
                lines.add(String.format(Locale.ROOT, "  %-6s %6d  %12s %10d  %12s %10d", split, node.path("pairs").asLong(),
                        mean(node.path("paperTokens")), node.path("paperTokens").path("truncated").asLong(),
                        mean(node.path("codeTokens")), node.path("codeTokens").path("truncated").asLong()));
            }
        } catch (java.io.IOException | RuntimeException e) {
            lines.clear();
            lines.add("Dataset info: " + datasetInfo);
        }
        return lines;
    }

    private static String mean(com.fasterxml.jackson.databind.JsonNode tokens) {
        long count = tokens.path("count").asLong();
        return count == 0 ? "-" : String.format(Locale.ROOT, "%.1f mean", tokens.path("totalTokens").asDouble() / count);
    }

    static void print(LocalRunReport report, String runId, String datasetInfo, Path checkpoints, Consumer<String> log) {
        log.accept("Topic " + Topics.PAIRS.name() + ": " + report.pairs() + " pairs");
        log.accept("Topic " + Topics.TOKENIZED_TRAIN.name() + ": " + report.train() + " tokenized pairs");
        log.accept("Topic " + Topics.TOKENIZED_VAL.name() + ": " + report.val() + " tokenized pairs");
        log.accept("Topic " + Topics.DEAD_LETTERS.name() + ": " + report.deadLetters() + " dead letters "
                + report.deadLettersByReason());
        datasetTable(datasetInfo).forEach(log);
        log.accept("Training " + runId + ": " + report.trainingEnd() + " after " + report.epochs().size() + " epochs");
        if (report.epochs().isEmpty()) {
            return;
        }
        Map<String, Double> first = report.epochs().get(0);
        Map<String, Double> last = report.epochs().get(report.epochs().size() - 1);
        log.accept(String.format(Locale.ROOT, "  val loss %.4f -> %.4f, Recall@1 %.3f -> %.3f, MRR@10 %.3f -> %.3f",
                first.get("val_loss"), last.get("val_loss"), first.get("recall@1"), last.get("recall@1"),
                first.get("mrr@10"), last.get("mrr@10")));
        Path best = checkpoints.resolve(dev.paper2code.contracts.CheckpointLayout.BEST_MODEL);
        log.accept("  best model: " + best + "  (try: bin/embed --model-dir " + best + " --text \"...\")");
        log.accept("  serving model (champion): " + checkpoints.resolve(dev.paper2code.contracts.CheckpointLayout.CHAMPION));
    }
}
