package dev.paper2code.modelimport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.paper2code.model.checkpoint.Safetensors;
import dev.paper2code.model.checkpoint.Tensor;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.model.io.ModelJson;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled all-MiniLM-L6-v2, imported, loaded by the project's encoder and compared with ONNX Runtime. */
class MiniLmImportTest {
    /**
     * Varied texts, each under 128 tokens: the bundled tokenizer.json truncates at 128 (its "truncation"
     * block), which langchain4j keeps, while the project's tokenizer truncates at the length it is given.
     */
    private static final List<String> TEXTS = List.of(
            "Hello world",
            "Dense passage retrieval for open-domain question answering.",
            "facebookresearch/DPR",
            "def forward(self, x): return self.linear(x).relu()",
            "!!! ??? ... ;;; --- ((())) [[]] {}",
            "Ünïcödé façade — naïve café, Straße, Ελληνικά, русский текст",
            "日本語のテキストと中文文本",
            "emoji 🚀🔥 and symbols ∑∫√π ≤ ≥",
            "a",
            "   leading and trailing whitespace   \n\t and a newline",
            "See https://arxiv.org/abs/2004.04906 or mail someone@example.com; pi is 3.14159, eps 1e-12.",
            ("We present a contrastive approach that learns joint embeddings of research papers and the code "
                    + "repositories implementing them. Papers are encoded from their titles and abstracts, code from "
                    + "README files and source excerpts; the two encoders are trained with an InfoNCE objective over "
                    + "in-batch negatives, and retrieval quality is reported as recall at k and mean reciprocal rank. "
                    + "Hard negatives mined with BM25 make the task harder; a shared encoder halves the parameters "
                    + "but costs two points of recall."));

    @TempDir
    static Path directory;
    static ImportResult result;

    @BeforeAll
    static void importBundled() throws IOException {
        result = OnnxBertImporter.importBundledMiniLm(directory);
    }

    @Test
    void embeddingsMatchOnnxRuntime() throws IOException {
        EncoderConfig config = EncoderConfig.read(directory);
        float[][] ours;
        try (ContrastiveModel model = ContrastiveModel.fromPretrained(directory,
                new ContrastiveOptions(0.07f, false, true, false, 0f), Device.cpu());
             TruncatingTokenizer tokenizer = new TruncatingTokenizer(TokenizerSnapshot.read(directory), 256)) {
            List<int[]> ids = new ArrayList<>();
            int longest = 0;
            for (String text : TEXTS) {
                TruncatingTokenizer.Encoded encoded = tokenizer.encode(text);
                assertTrue(encoded.inputIds().length <= 128, "too long for the comparison: " + text);
                ids.add(encoded.inputIds());
                longest = Math.max(longest, encoded.inputIds().length);
            }
            System.out.println("longest text: " + longest + " tokens");
            ours = model.embedPapers(TokenBatch.pad(ids, config.padTokenId())); // one padded batch: masking counts
        }
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        double maxDifference = 0;
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] expected = reference.embed(TEXTS.get(i)).content().vector();
            float[] actual = normalize(ours[i]);
            assertEquals(384, actual.length);
            for (int j = 0; j < expected.length; j++) {
                maxDifference = Math.max(maxDifference, Math.abs(expected[j] - actual[j]));
            }
            assertArrayEquals(expected, actual, 1e-4f, "embedding of text " + i + ": " + TEXTS.get(i));
        }
        System.out.printf("max |ours - ONNX Runtime| over %d texts x 384: %.3g%n", TEXTS.size(), maxDifference);
    }

    @Test
    void configHasMiniLmSizes() throws IOException {
        EncoderConfig config = EncoderConfig.read(directory);
        assertEquals("bert", config.modelType());
        assertEquals(6, config.numHiddenLayers());
        assertEquals(384, config.hiddenSize());
        assertEquals(12, config.numAttentionHeads());
        assertEquals(1536, config.intermediateSize());
        assertEquals(30522, config.vocabSize());
        assertEquals(512, config.maxPositionEmbeddings());
        assertEquals(2, config.typeVocabSize());
        assertEquals(1e-12f, config.layerNormEps());
        assertEquals(0, config.padTokenId());
        var json = ModelJson.MAPPER.readTree(directory.resolve("config.json").toFile());
        assertEquals("BertModel", json.path("architectures").get(0).asText());
        assertEquals(0.1, json.path("hidden_dropout_prob").asDouble(), 1e-6);
    }

    @Test
    void safetensorsCarryHuggingFaceNamesAndLinearWeightsAsOutByIn() throws IOException {
        Map<String, Tensor> tensors = Safetensors.read(directory.resolve("model.safetensors"));
        assertEquals(5 + 6 * 16, tensors.size());
        assertEquals(result.tensorNames(), List.copyOf(tensors.keySet()));
        assertTrue(tensors.keySet().stream().noneMatch(n -> n.startsWith("bert.") || n.startsWith("onnx::")));
        assertArrayEquals(new long[] {30522, 384}, tensors.get("embeddings.word_embeddings.weight").shape());
        assertArrayEquals(new long[] {1536, 384}, tensors.get("encoder.layer.5.intermediate.dense.weight").shape());
        assertArrayEquals(new long[] {384, 1536}, tensors.get("encoder.layer.5.output.dense.weight").shape());
        assertFalse(tensors.containsKey("embeddings.position_ids"), "a buffer, not a parameter");
    }

    @Test
    void writesTokenizerAndSentenceTransformersFiles(@TempDir Path vocabOnly) throws IOException {
        List<String> vocab = Files.readAllLines(directory.resolve("vocab.txt"), StandardCharsets.UTF_8);
        assertEquals(30522, vocab.size());
        assertEquals("[PAD]", vocab.get(0));
        assertEquals("[CLS]", vocab.get(101));
        assertArrayEquals(MiniLm.tokenizer(), Files.readAllBytes(directory.resolve("tokenizer.json")));
        var tokenizerConfig = ModelJson.MAPPER.readTree(directory.resolve("tokenizer_config.json").toFile());
        assertTrue(tokenizerConfig.path("do_lower_case").asBoolean());
        assertEquals(512, tokenizerConfig.path("model_max_length").asInt());
        assertEquals("BertTokenizer", tokenizerConfig.path("tokenizer_class").asText());
        assertEquals("[MASK]", tokenizerConfig.path("mask_token").asText());
        var sbert = ModelJson.MAPPER.readTree(directory.resolve("sentence_bert_config.json").toFile());
        assertEquals(256, sbert.path("max_seq_length").asInt());
        assertFalse(sbert.path("do_lower_case").asBoolean(true));
        var pooling = ModelJson.MAPPER.readTree(directory.resolve("1_Pooling/config.json").toFile());
        assertEquals(384, pooling.path("word_embedding_dimension").asInt());
        assertTrue(pooling.path("pooling_mode_mean_tokens").asBoolean());
        assertFalse(pooling.path("pooling_mode_cls_token").asBoolean());
        var modules = ModelJson.MAPPER.readTree(directory.resolve("modules.json").toFile());
        assertEquals("sentence_transformers.models.Pooling", modules.get(1).path("type").asText());
        // The project's own vocab.txt reader (no tokenizer.json) sees the same vocabulary size.
        Files.copy(directory.resolve("vocab.txt"), vocabOnly.resolve("vocab.txt"));
        assertEquals(30522, TokenizerSnapshot.read(vocabOnly).vocabularySize());
    }

    @Test
    void importsTheSameFromTheJarFile(@TempDir Path other) throws IOException {
        ImportResult fromJar = OnnxBertImporter.importMiniLmJar(MiniLm.jar(), other);
        assertEquals(result.config(), fromJar.config());
        assertArrayEquals(Files.readAllBytes(directory.resolve("model.safetensors")),
                Files.readAllBytes(other.resolve("model.safetensors")));
    }

    private static float[] normalize(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / Math.sqrt(norm));
        }
        return out;
    }
}
