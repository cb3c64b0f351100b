package dev.paper2code.benchmarks;

import java.util.Locale;
import java.util.Map;

/** The quality benchmark's table: one row per system, the metrics of search's evaluation, and training time. */
final class QualityTable {
    private QualityTable() {
    }

    static void print(Map<String, Map<String, Double>> table, Map<String, String> times) {
        System.out.printf("| %-40s | %8s | %8s | %9s | %6s | %7s | %s |%n", "system", "Recall@1", "Recall@5", "Recall@10",
                "MRR@10", "NDCG@10", "training time");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        table.forEach((system, m) -> System.out.printf(Locale.ROOT, "| %-40s | %8.3f | %8.3f | %9.3f | %6.3f | %7.3f | %s |%n",
                system, m.get("recall@1"), m.get("recall@5"), m.get("recall@10"), m.get("mrr@10"), m.get("ndcg@10"),
                times.getOrDefault(system, "")));
    }
}
