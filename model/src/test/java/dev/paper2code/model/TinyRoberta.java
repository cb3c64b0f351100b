package dev.paper2code.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.model.io.ModelJson;
import dev.paper2code.model.contrastive.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    /**
     * The fixture directory: in place when the test classes are a directory (this module's tests), a
     * temporary copy when they come from the test jar (the cli module's tests).
     */
    private static Path directory() {
        try {
            URL config = TinyRoberta.class.getResource("/tiny-roberta/config.json");
            if ("file".equals(config.getProtocol())) {
                return Path.of(config.toURI()).getParent();
            }
            Path copy = Files.createTempDirectory("tiny-roberta");
            for (String name : List.of("config.json", "golden.json", "model.safetensors", "pytorch_model.bin")) {
                try (InputStream in = TinyRoberta.class.getResourceAsStream("/tiny-roberta/" + name)) {
                    Files.copy(in, copy.resolve(name));
                }
                copy.resolve(name).toFile().deleteOnExit();
            }
            copy.toFile().deleteOnExit();
            return copy;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode golden() {
        try {
            return ModelJson.MAPPER.readTree(DIRECTORY.resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
