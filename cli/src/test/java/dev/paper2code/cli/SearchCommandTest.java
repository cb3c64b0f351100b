package dev.paper2code.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.Json;
import dev.paper2code.retrieval.ModelRanking;
import dev.paper2code.retrieval.TestCheckpoints;
import dev.paper2code.retrieval.corpus.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {
    private static final String SEED = """
            [
              {"paper": {"arxiv_id": "2104.08821", "title": "SimCSE: Simple Contrastive Learning of Sentence Embeddings",
                         "abstract": "Contrastive learning with dropout noise."},
               "repositories": [{"name": "princeton-nlp/SimCSE", "description": "SimCSE code",
                                 "url": "https://github.com/princeton-nlp/SimCSE"}]},
              {"paper": {"arxiv_id": "2004.04906", "title": "Dense Passage Retrieval",
                         "abstract": "A question encoder and a passage encoder."},
               "repositories": [{"name": "facebookresearch/DPR", "description": "Dense passage retriever"}]},
              {"paper": {"arxiv_id": "2101.03961", "title": "Switch Transformers", "abstract": "Mixtures of experts."},
               "repositories": [{"name": "example/moe-router", "description": "Router kernels for mixtures of experts"},
                                {"name": "example/switch", "description": null}]},
              {"paper": {"title": "arXiv Query: nothing", "abstract": ""}, "repositories": []}
            ]
            """;

    @Test
    void ranksTheFilesRepositoriesAsTheModelDoes(@TempDir Path dir) throws Exception {
        Path checkpoint = TestCheckpoints.write(dir.resolve("best_model"), 5, "run-x", 2);
        Path pairs = Files.writeString(dir.resolve("pairs.json"), SEED);
        String query = "contrastive sentence embeddings";

        String json = run("--model-dir", checkpoint.toString(), "--pairs", pairs.toString(), "--k", "4", "--exact",
                "--json", query);
        List<?> results = (List<?>) Json.MAPPER.readValue(json, Map.class).get("results");
        List<String> served = results.stream().map(r -> (String) ((Map<?, ?>) r).get("repository")).toList();
        Corpus corpus = Corpus.of(SearchCommand.pairs(pairs));
        assertEquals(ModelRanking.of(checkpoint, corpus.repositories(), query), served);

        String table = run("--model-dir", checkpoint.toString(), "--pairs", pairs.toString(), "--paper", "2101.03961");
        assertTrue(table.contains("checkpoint: run run-x, epoch 2"), table);
        assertTrue(table.contains("corpus: 4 repositories, 3 papers"), table);
        assertEquals(2, table.lines().filter(line -> line.contains("* example/")).count(), table);
    }

    @Test
    void badOptionsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchCommand.parse(new String[] {"x"}))
                .getMessage().contains("Missing required option: '--model-dir=CHECKPOINT'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SearchCommand.parse(new String[] {"--model-dir", "m", "--k", "0", "x"})).getMessage()
                .contains("--k must be"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SearchCommand.parse(new String[] {"--model-dir", "m"})).getMessage().contains("either --paper"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SearchCommand.parse(new String[] {"--model-dir", "m", "--top", "3", "x"})).getMessage()
                .contains("Unknown option: '--top'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SearchCommand.parse(new String[] {"--model-dir", "m", "--k", "ten", "x"})).getMessage()
                .contains("Invalid value for option '--k': 'ten' is not an int"));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws Exception {
        String help = run("--help");
        for (String option : List.of("--model-dir", "--pairs", "--k", "--exact", "--json", "--paper", "QUERY")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        assertTrue(help.contains("Default: 10"), help);
        assertTrue(help.contains("Default: data/sample/paper_code_pairs.json"), help);
    }

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, SearchCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
