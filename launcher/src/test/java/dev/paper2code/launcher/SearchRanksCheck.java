package dev.paper2code.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.SealedDirectory;
import dev.paper2code.contracts.TopicCursor;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.retrieval.ModelRanking;
import dev.paper2code.retrieval.corpus.Corpus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * After a real training run: every val paper's query through search-service's REST API ranks all
 * repositories of the pairs topic as the run's best checkpoint does when this test loads it itself
 * (exact search), and HNSW returns the same top 10.
 */
final class SearchRanksCheck {
    private SearchRanksCheck() {
    }

    /** One line per val paper: "ok ..." or what differed. */
    static List<String> run(LocalPipeline.Running running) throws IOException, InterruptedException {
        List<TextPair> pairs = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.scanConsumer(
                Map.of("bootstrap.servers", running.bootstrapServers())), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicCursor.readToEnd(consumer, List.of(Topics.PAIRS.name()),
                    record -> pairs.add(Topics.PAIRS.deserializeValue(record.value())));
        }
        Corpus corpus = Corpus.of(pairs);
        Path best = running.checkpointDir().resolve(dev.paper2code.contracts.CheckpointLayout.CHAMPION).toRealPath();
        String fingerprint = SealedDirectory.fingerprint(best);
        HttpClient http = HttpClient.newHttpClient();
        List<String> checks = new ArrayList<>();
        int all = corpus.repositoryCount();
        try (ModelRanking reference = ModelRanking.open(best, corpus.repositories())) {
            for (String paper : PipelineTopics.valPapers(running.bootstrapServers()).keySet()) {
                JsonNode exact = get(http, running.searchUrl() + "/search/papers/" + encode(paper) + "?method=exact&k=" + all);
                if (!fingerprint.equals(exact.path("checkpoint").path("fingerprint").asText())) {
                    checks.add(paper + ": served by " + exact.path("checkpoint") + ", not " + best);
                    continue;
                }
                List<String> served = names(exact);
                try {
                    ModelRanking.assertSameRanking(reference.scored(corpus.paper(paper).orElseThrow().text()), served, paper);
                } catch (AssertionError e) {
                    checks.add(e.getMessage());
                    continue;
                }
                List<String> hnsw = names(get(http, running.searchUrl() + "/search/papers/" + encode(paper) + "?method=hnsw&k=10"));
                checks.add(hnsw.equals(served.subList(0, 10)) ? "ok " + paper
                        : paper + ": HNSW top 10 " + hnsw + " differs from exact " + served.subList(0, 10));
            }
        }
        return checks;
    }

    private static List<String> names(JsonNode answer) {
        List<String> names = new ArrayList<>();
        answer.path("results").forEach(result -> names.add(result.path("repository").asText()));
        return names;
    }

    private static String encode(String paper) {
        return URLEncoder.encode(paper, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }
}
