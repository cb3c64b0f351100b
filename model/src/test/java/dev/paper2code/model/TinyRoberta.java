package dev.paper2code.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.model.contrastive.TokenBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tiny RoBERTa fixture and its PyTorch reference values ({@code golden.json}). */
public final class TinyRoberta {
    public static final Path DIRECTORY = directory();
    public static final JsonNode GOLDEN = golden();

    private TinyRoberta() {
    }

    /** A copy of the fixture holding only {@code pytorch_model.bin}, so the restricted pickle reader is used. */
    public static Path pytorchBinOnly(Path tempDir) throws IOException {
        Path copy = Files.createDirectories(tempDir.resolve("tiny-roberta-bin"));
        Files.copy(DIRECTORY.resolve("config.json"), copy.resolve("config.json"));
        Files.copy(DIRECTORY.resolve("pytorch_model.bin"), copy.resolve("pytorch_model.bin"));
        return copy;
    }

    public static TokenBatch papers() {
        return batch("paper");
    }

    public static TokenBatch code() {
        return batch("code");
    }

    private static TokenBatch batch(String side) {
        JsonNode inputs = GOLDEN.path("inputs");
        return TokenBatch.of(matrix(inputs.path(side + "_input_ids")), matrix(inputs.path(side + "_attention_mask")));
    }

    private static long[][] matrix(JsonNode rows) {
        long[][] values = new long[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            values[i] = new long[rows.get(i).size()];
            for (int j = 0; j < values[i].length; j++) {
                values[i][j] = rows.get(i).get(j).asLong();
            }
        }
        return values;
    }

    public static float tolerance(String name) {
        return (float) GOLDEN.path("tolerance").path(name).asDouble();
    }

    private static Path directory() {
        try {
            return Path.of(TinyRoberta.class.getResource("/tiny-roberta/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode golden() {
        try {
            return Json.MAPPER.readTree(DIRECTORY.resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
