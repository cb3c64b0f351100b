package dev.paper2code.model.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paper2code.model.TinyRoberta;
import dev.paper2code.model.checkpoint.ModelWeights;
import dev.paper2code.model.checkpoint.Tensor;
import dev.paper2code.model.optim.FlatParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerEncoderTest {
    @TempDir
    Path tempDir;

    @Test
    void configRoundTripsThroughConfigJson() throws IOException {
        EncoderConfig tiny = EncoderConfig.read(TinyRoberta.DIRECTORY);
        assertEquals("roberta", tiny.modelType());
        assertEquals(32, tiny.hiddenSize());
        assertEquals(1e-5f, tiny.layerNormEps());
        tiny.write(tempDir);
        assertEquals(tiny, EncoderConfig.read(tempDir));
        assertEquals(40 - 2, tiny.maxSequenceLength());
    }

    @Test
    void anUnsupportedActivationIsAClearError() throws IOException {
        Files.writeString(tempDir.resolve("config.json"), Files.readString(TinyRoberta.DIRECTORY.resolve("config.json"))
                .replace("\"gelu\"", "\"relu\""));
        IOException error = assertThrows(IOException.class, () -> EncoderConfig.read(tempDir));
        assertTrue(error.getMessage().contains("hidden_act 'relu'"), error.getMessage());
    }

    @Test
    void mismatchedCheckpointsNameEveryMissingUnexpectedAndMisShapedTensor() throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>(ModelWeights.read(TinyRoberta.DIRECTORY));
        weights.remove("encoder.layer.1.output.dense.bias");
        weights.put("encoder.layer.7.attention.self.query.weight", new Tensor("x", new long[] {1}, new float[1]));
        weights.put("embeddings.LayerNorm.weight", new Tensor("embeddings.LayerNorm.weight", new long[] {16}, new float[16]));

        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerEncoder encoder = new TransformerEncoder(EncoderConfig.read(TinyRoberta.DIRECTORY));
            new FlatParameters(manager, encoder.namedParameters(), encoder.parameterShapes());
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> encoder.loadWeights(weights, "broken checkpoint"));
            String message = error.getMessage();
            assertTrue(message.contains("missing encoder.layer.1.output.dense.bias [32]"), message);
            assertTrue(message.contains("unexpected encoder.layer.7.attention.self.query.weight"), message);
            assertTrue(message.contains("embeddings.LayerNorm.weight has shape [16], the config needs [32]"), message);
            assertTrue(!message.contains("pooler"), "the pooler is known and unused: " + message);
        }
    }

    @Test
    void randomInitializationIsSeededAndFollowsHuggingFaceConventions() {
        EncoderConfig config = EncoderConfig.smallRoberta(500, 1, 64);
        Map<String, Tensor> first = EncoderInitialization.random(config, 42);
        Map<String, Tensor> again = EncoderInitialization.random(config, 42);
        Map<String, Tensor> other = EncoderInitialization.random(config, 43);
        assertArrayEquals(first.get("encoder.layer.1.attention.self.key.weight").data(),
                again.get("encoder.layer.1.attention.self.key.weight").data());
        assertTrue(first.get("encoder.layer.1.attention.self.key.weight").data()[0]
                != other.get("encoder.layer.1.attention.self.key.weight").data()[0]);

        float[] words = first.get("embeddings.word_embeddings.weight").data();
        int hidden = config.hiddenSize();
        for (int i = 0; i < hidden; i++) {
            assertEquals(0f, words[config.padTokenId() * hidden + i], "the padding row is zero");
        }
        assertTrue(java.util.stream.IntStream.range(0, hidden).anyMatch(i -> words[i] != 0f));
        for (float value : first.get("embeddings.LayerNorm.weight").data()) {
            assertEquals(1f, value);
        }
        for (float value : first.get("encoder.layer.0.output.dense.bias").data()) {
            assertEquals(0f, value);
        }
        double sumOfSquares = 0;
        float[] query = first.get("encoder.layer.0.attention.self.query.weight").data();
        for (float value : query) {
            sumOfSquares += value * value;
        }
        assertEquals(config.initializerRange(), Math.sqrt(sumOfSquares / query.length), 0.002);
    }
}
