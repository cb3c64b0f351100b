package dev.paper2code.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TextPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Text pairs made from the project's sample dataset, as the parser would publish them. */
public final class SampleInput {
    private static final Path SAMPLE = Path.of("../data/sample/paper_code_pairs.json");

    private SampleInput() {
    }

    public static List<TextPair> pairs() {
        try {
            List<TextPair> pairs = new ArrayList<>();
            for (JsonNode entry : Json.MAPPER.readTree(SAMPLE.toFile())) {
                JsonNode paper = entry.path("paper");
                String paperId = paper.path("arxiv_id").asText();
                for (JsonNode repository : entry.path("repositories")) {
                    String name = repository.path("name").asText();
                    pairs.add(new TextPair(paperId + "::" + name.toLowerCase(), paperId, name,
                            paper.path("title").asText() + "\n" + paper.path("abstract").asText(),
                            name + "\n" + repository.path("description").asText(""), "sample"));
                }
            }
            return pairs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
