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
 * What search says after training: waits until search-service serves the run's best checkpoint, prints
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
     * Waits until the checkpoint the best-model link points to now serves (its content, by fingerprint:
     * a run's best_model is replaced in place epoch after epoch); returns the search status.
     */
    static JsonNode awaitServing(ServiceProcess search, java.nio.file.Path bestModel)
            throws InterruptedException, IOException {
        String fingerprint = dev.paper2code.contracts.SealedDirectory.fingerprint(bestModel.toRealPath());
        long deadline = System.nanoTime() + SERVING_TIMEOUT.toNanos();
        while (true) {
            ServiceProcess.HttpResult status = search.get("/search/status");
            if (status.status() == 200) {
                JsonNode node = Json.MAPPER.readTree(status.body());
                if (fingerprint.equals(node.path("fingerprint").asText())) {
                    return node;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("search-service did not serve " + bestModel + " within "
                        + SERVING_TIMEOUT + ": " + status.body());
            }
            Thread.sleep(500);
        }
    }

    static void print(ServiceProcess search, java.nio.file.Path bestModel, Map<String, Set<String>> valPapers,
                      Consumer<String> log) throws InterruptedException, IOException {
        JsonNode status = awaitServing(search, bestModel);
        String runId = status.path("runId").asText();
        JsonNode evaluation = Json.MAPPER.readTree(search.get("/search/evaluation").body()).path("metrics");
        log.accept(String.format(Locale.ROOT,
                "search-service serves run %s epoch %s: %d repositories, index built in %.1f s, serving %.1f s after the best-checkpoint event",
                runId, status.path("epoch").asText(), status.path("repositories").asInt(),
                status.path("buildSeconds").asDouble(), status.path("secondsFromEvent").asDouble()));
        log.accept(String.format(Locale.ROOT,
                "Search evaluation, %d val papers against all %d repositories: Recall@1 %.3f  Recall@5 %.3f  "
                        + "Recall@10 %.3f  MRR@10 %.3f  NDCG@10 %.3f",
                evaluation.path("queries").asInt(), evaluation.path("repositories").asInt(),
                evaluation.path("recall@1").asDouble(), evaluation.path("recall@5").asDouble(),
                evaluation.path("recall@10").asDouble(), evaluation.path("mrr@10").asDouble(),
                evaluation.path("ndcg@10").asDouble()));
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

    private static Set<String> lowerCase(Set<String> names) {
        Set<String> lower = new java.util.HashSet<>();
        names.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
        return lower;
    }
}
