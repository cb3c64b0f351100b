package dev.paper2code.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What search says after training: waits until search-service serves the champion (the run's best model once promoted), prints
 * its evaluation (val papers against every repository) and three val papers' top 3, each marked with
 * whether the paper's own repository is among them.
 */
final class SearchExamples {
    private static final Duration SERVING_TIMEOUT = Duration.ofMinutes(3);
    static final int EXAMPLES = 3;
    static final int TOP = 3;

    private SearchExamples() {
    }

    /**
     * Waits until the checkpoint the champion link points to now serves (its content, by fingerprint:
     * the link moves when a run wins); returns the search status.
     */
    static JsonNode awaitServing(ServiceProcess search, java.nio.file.Path champion)
            throws InterruptedException, IOException {
        String fingerprint = dev.paper2code.contracts.SealedDirectory.fingerprint(champion.toRealPath());
        JsonNode status = awaitFingerprint(search, "/search/status", fingerprint);
        if (status == null) {
            throw new IllegalStateException("search-service did not serve " + champion + " within "
                    + SERVING_TIMEOUT + ": " + search.get("/search/status").body());
        }
        return status;
    }

    /**
     * Polls {@code path} until it answers 200 with a body whose {@code fingerprint} is this one; null
     * when none did within {@link #SERVING_TIMEOUT}.
     */
    private static JsonNode awaitFingerprint(ServiceProcess search, String path, String fingerprint)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + SERVING_TIMEOUT.toNanos();
        while (true) {
            ServiceProcess.HttpResult answer = search.get(path);
            if (answer.status() == 200) {
                JsonNode node = Json.MAPPER.readTree(answer.body());
                if (fingerprint.equals(node.path("fingerprint").asText())) {
                    return node;
                }
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(500);
        }
    }

    /** How the report names each system of search's comparison. */
    private static final Map<String, String> SYSTEM_NAMES = Map.of("trained", "trained model (dense, exact)",
            "bm25", "BM25 (keywords)", "hybrid", "hybrid (trained + BM25)", "zero-shot", "start model (zero-shot)");

    /**
     * The evaluation of the checkpoint with this fingerprint: search publishes it a moment after it starts
     * serving, and until then {@code /search/evaluation} still holds the previous checkpoint's. Null when
     * none came within the serving timeout (search logs why).
     */
    private static JsonNode awaitEvaluation(ServiceProcess search, String fingerprint)
            throws InterruptedException, IOException {
        // Null: the report says so; an evaluation is not worth failing the run over.
        return awaitFingerprint(search, "/search/evaluation", fingerprint);
    }

    static void print(ServiceProcess search, java.nio.file.Path champion, Map<String, Set<String>> valPapers,
                      Consumer<String> log) throws InterruptedException, IOException {
        JsonNode status = awaitServing(search, champion);
        String runId = status.path("runId").asText();
        JsonNode evaluation = awaitEvaluation(search, status.path("fingerprint").asText());
        log.accept(String.format(Locale.ROOT,
                "search-service serves run %s epoch %s: %d repositories, index built in %.1f s, serving %.1f s after the promotion",
                runId, status.path("epoch").asText(), status.path("repositories").asInt(),
                status.path("buildSeconds").asDouble(), status.path("secondsFromEvent").asDouble()));
        if (evaluation == null) {
            log.accept("Search evaluation: none published for the serving checkpoint within " + SERVING_TIMEOUT
                    + " (search-service's log says why)");
        } else {
            printEvaluation(evaluation, log);
        }
        List<String> papers = new ArrayList<>(valPapers.keySet()).subList(0, Math.min(EXAMPLES, valPapers.size()));
        for (String paper : papers) {
            ServiceProcess.HttpResult answer = search.get("/search/papers/"
                    + URLEncoder.encode(paper, StandardCharsets.UTF_8).replace("+", "%20") + "?k=" + TOP);
            if (answer.status() != 200) {
                log.accept("  paper " + paper + ": search answered " + answer.status() + " " + answer.body());
                continue;
            }
            Set<String> relevant = lowerCase(valPapers.get(paper));
            boolean found = false;
            StringBuilder lines = new StringBuilder();
            for (JsonNode result : Json.MAPPER.readTree(answer.body()).path("results")) {
                boolean hit = relevant.contains(result.path("repository").asText().toLowerCase(Locale.ROOT));
                found |= hit;
                lines.append(String.format(Locale.ROOT, "%n    %d. %-45s %.3f%s", result.path("rank").asInt(),
                        result.path("repository").asText(), result.path("score").asDouble(), hit ? "  <- its code" : ""));
            }
            log.accept("Example query, val paper " + paper + " (its code: " + String.join(", ", valPapers.get(paper))
                    + "): true repository in the top " + TOP + ": " + (found ? "yes" : "no") + lines);
        }
    }

    private static void printEvaluation(JsonNode evaluation, Consumer<String> log) {
        JsonNode metrics = evaluation.path("metrics");
        log.accept(String.format(Locale.ROOT,
                "Search evaluation, run %s epoch %s: %d val papers against all %d repositories",
                evaluation.path("runId").asText(), evaluation.path("epoch").asText(),
                metrics.path("queries").asInt(), metrics.path("repositories").asInt()));
        log.accept(String.format(Locale.ROOT, "  %-28s %9s %9s %10s %7s %8s", "system", "Recall@1", "Recall@5",
                "Recall@10", "MRR@10", "NDCG@10"));
        evaluation.path("comparison").fields().forEachRemaining(system -> log.accept(String.format(Locale.ROOT,
                "  %-28s %9.3f %9.3f %10.3f %7.3f %8.3f", SYSTEM_NAMES.getOrDefault(system.getKey(), system.getKey()),
                system.getValue().path("recall@1").asDouble(), system.getValue().path("recall@5").asDouble(),
                system.getValue().path("recall@10").asDouble(), system.getValue().path("mrr@10").asDouble(),
                system.getValue().path("ndcg@10").asDouble())));
        JsonNode comparison = evaluation.path("comparison");
        if (comparison.has("zero-shot") && comparison.has("bm25")) {
            double trained = comparison.path("trained").path("mrr@10").asDouble();
            double bm25 = comparison.path("bm25").path("mrr@10").asDouble();
            log.accept(String.format(Locale.ROOT, "  What training bought: MRR@10 %.3f -> %.3f over the start model; "
                            + "BM25 %.3f, so the trained model is %s keyword search%s",
                    comparison.path("zero-shot").path("mrr@10").asDouble(), trained, bm25, trained >= bm25 ? "ahead of" : "BEHIND",
                    comparison.has("hybrid") ? String.format(Locale.ROOT, "; both fused (hybrid) %.3f",
                            comparison.path("hybrid").path("mrr@10").asDouble()) : ""));
        }
    }

    private static Set<String> lowerCase(Set<String> names) {
        Set<String> lower = new java.util.HashSet<>();
        names.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
        return lower;
    }
}
