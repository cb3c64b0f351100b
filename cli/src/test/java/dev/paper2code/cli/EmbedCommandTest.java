package dev.paper2code.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.model.TinyRoberta;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.tokenization.TestTokenizers;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenization.WordPieceTrainer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {
    @TempDir
    Path tempDir;
    Path modelDir;

    @BeforeEach
    void modelDirectoryWithItsTokenizer() throws IOException {
        modelDir = Files.createDirectories(tempDir.resolve("model"));
        Files.copy(TinyRoberta.DIRECTORY.resolve("config.json"), modelDir.resolve("config.json"));
        Files.copy(TinyRoberta.DIRECTORY.resolve("model.safetensors"), modelDir.resolve("model.safetensors"));
        // the tiny model has 120 embeddings, so the vocabulary must stay below that
        TokenizerSnapshot.writeWordPiece(modelDir, new WordPieceTrainer(100).train(TestTokenizers.CORPUS));
    }

    @Test
    void printsTheTokenIdsAndTheEncoderEmbeddingOfEachText() throws IOException {
        JsonNode result = run(new String[] {"--model-dir", modelDir.toString()},
                "contrastive learning of embeddings\nrouter kernels\n");

        List<String> texts = List.of("contrastive learning of embeddings", "router kernels");
        assertEquals(32, result.path("dimension").asInt());
        assertEquals(2, result.path("items").size());
        try (TruncatingTokenizer tokenizer = new TruncatingTokenizer(TokenizerSnapshot.read(modelDir), 38);
             ContrastiveModel model = ContrastiveModel.fromPretrained(modelDir, ContrastiveOptions.seedDefaults(),
                     Device.cpu())) {
            List<int[]> ids = texts.stream().map(t -> tokenizer.encode(t).inputIds()).toList();
            float[][] expected = model.embedPapers(TokenBatch.pad(ids, 1));
            for (int i = 0; i < texts.size(); i++) {
                JsonNode item = result.path("items").get(i);
                assertEquals(texts.get(i), item.path("text").asText());
                assertArrayEquals(ids.get(i), Json.MAPPER.treeToValue(item.path("input_ids"), int[].class));
                assertArrayEquals(expected[i], Json.MAPPER.treeToValue(item.path("embedding"), float[].class), 1e-6f);
            }
        }
    }

    @Test
    void aTrainedCheckpointEmbedsWithTheRequestedSide() throws IOException {
        Path checkpoint = tempDir.resolve("checkpoint");
        try (ContrastiveModel model = ContrastiveModel.fromPretrained(modelDir, ContrastiveOptions.seedDefaults(),
                Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            trainer.step(TinyRoberta.papers(), TinyRoberta.code(), 1e-3f, 1f);
            model.save(checkpoint);
        }
        String[] paper = {"--model-dir", checkpoint.toString(), "--tokenizer", modelDir.toString(), "--text", "router"};
        String[] code = {"--model-dir", checkpoint.toString(), "--tokenizer", modelDir.toString(), "--text", "router",
            "--side", "code"};
        JsonNode paperResult = run(paper, "");
        JsonNode codeResult = run(code, "");
        assertEquals("code", codeResult.path("side").asText());
        assertEquals(paperResult.path("items").get(0).path("input_ids"), codeResult.path("items").get(0).path("input_ids"));
        float[] paperEmbedding = Json.MAPPER.treeToValue(paperResult.path("items").get(0).path("embedding"), float[].class);
        float[] codeEmbedding = Json.MAPPER.treeToValue(codeResult.path("items").get(0).path("embedding"), float[].class);
        assertEquals(false, java.util.Arrays.equals(paperEmbedding, codeEmbedding), "the two encoders differ after training");
    }

    @Test
    void usageErrorsNameTheOptionAndHelpListsEveryOptionWithItsDefault() throws IOException {
        org.junit.jupiter.api.Assertions.assertTrue(assertThrows(IllegalArgumentException.class,
                () -> run(new String[] {"--text", "x"}, "")).getMessage().contains("Missing required option: '--model-dir=DIR'"));
        org.junit.jupiter.api.Assertions.assertTrue(assertThrows(IllegalArgumentException.class,
                () -> run(new String[] {"--model-dir", "m", "--side", "both"}, "")).getMessage()
                .contains("Invalid value for option '--side'"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EmbedCommand.run(new String[] {"--help"}, new BufferedReader(new StringReader("")),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : java.util.List.of("--model-dir", "--side", "--tokenizer", "--max-length", "--text")) {
            org.junit.jupiter.api.Assertions.assertTrue(help.contains(option), option + " in\n" + help);
        }
        org.junit.jupiter.api.Assertions.assertTrue(help.contains("Default: paper"), help);
    }

    private static JsonNode run(String[] args, String stdin) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EmbedCommand.run(args, new BufferedReader(new StringReader(stdin)), new PrintStream(out, true, StandardCharsets.UTF_8));
        return Json.MAPPER.readTree(out.toByteArray());
    }
}
