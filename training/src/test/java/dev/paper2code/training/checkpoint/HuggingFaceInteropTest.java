package dev.paper2code.training.checkpoint;

import dev.paper2code.model.contrastive.SavedModelLayout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenization.WordPieceTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24.6: a checkpoint's paper and code encoders open as they are in Hugging Face transformers
 * (AutoModel, AutoTokenizer) and in sentence-transformers. Each encoder directory carries the tokenizer
 * files and the sentence-transformers modules, and {@code model/src/test/python/encoder_reference.py}
 * (a NumPy restatement of AutoModel's forward and SentenceTransformer's pipeline that reads only the
 * directory) gives the project's embeddings within 1e-4, for a RoBERTa (the scratch model) and a BERT
 * (the shape of all-MiniLM-L6-v2) encoder.
 */
class HuggingFaceInteropTest {
    private static final List<String> TEXTS = List.of(
            "Contrastive learning of sentence embeddings with dropout noise",
            "princeton-nlp/SimCSE\nSimCSE: Simple Contrastive Learning of Sentence Embeddings",
            "graph neural networks for molecules",
            "a b c");

    @TempDir
    Path root;

    @Test
    void aScratchRobertaCheckpointsEncodersLoadAsHuggingFaceAndSentenceTransformersDirectories() throws Exception {
        checkEncoders(tokenizer -> EncoderConfig.smallRoberta(tokenizer.vocabularySize(), tokenizer.padTokenId(), 64));
    }

    @Test
    void aBertCheckpointsEncodersLoadAsHuggingFaceAndSentenceTransformersDirectories() throws Exception {
        checkEncoders(tokenizer -> new EncoderConfig("bert", tokenizer.vocabularySize(), 96, 2, 4, 256, 128, 2, 1e-12f,
                tokenizer.padTokenId(), "gelu", 0.02f, 0.1f, 0.1f));
    }

    private interface ConfigFor {
        EncoderConfig of(TokenizerSnapshot tokenizer);
    }

    private void checkEncoders(ConfigFor configFor) throws Exception {
        Path script = reference();
        TokenizerSnapshot tokenizer = TokenizerSnapshot.writeWordPiece(root.resolve("tokenizer"),
                new WordPieceTrainer(300).train(TEXTS));
        int maxLength = 48;
        List<int[]> ids = new ArrayList<>();
        try (TruncatingTokenizer encoder = new TruncatingTokenizer(tokenizer, maxLength)) {
            TEXTS.forEach(text -> ids.add(encoder.encode(text).inputIds()));
        }
        EncoderConfig config = configFor.of(tokenizer);
        Path saved;
        float[][] papers;
        float[][] code;
        try (ContrastiveModel model = ContrastiveModel.fromScratch(config, 7, ContrastiveOptions.seedDefaults(), Device.cpu())) {
            saved = new CheckpointStore(root.resolve("run")).save(CheckpointStore.BEST, model, null,
                    new TrainerState("run-1", 1, 1, 1, tokenizer.fingerprint(maxLength), null, List.of()), tokenizer, maxLength);
            TokenBatch batch = TokenBatch.pad(ids, config.padTokenId());
            papers = model.embedPapers(batch);
            code = model.embedCode(batch);
        }
        CheckpointStore.verifyAndRead(saved); // the added files are sealed with the rest
        List<Path> encoders = SavedModelLayout.encoderDirectories(saved);
        assertEquals(2, encoders.size());
        for (Path encoder : encoders) {
            for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.txt",
                    "tokenizer_config.json", "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
                    "1_Pooling/config.json")) {
                assertTrue(Files.isRegularFile(encoder.resolve(file)), encoder.getFileName() + " lacks " + file);
            }
            assertArrayEquals(tokenizer.definition(), Files.readAllBytes(encoder.resolve("tokenizer.json")));
            assertEquals(maxLength, Json.MAPPER.readTree(encoder.resolve("tokenizer_config.json").toFile())
                    .path("model_max_length").asInt());
            assertEquals(config.modelType(), Json.MAPPER.readTree(encoder.resolve("config.json").toFile())
                    .path("model_type").asText());
        }
        compare(script, encoders.get(0), ids, papers);
        compare(script, encoders.get(1), ids, code);
    }

    private static void compare(Path script, Path encoder, List<int[]> ids, float[][] expected) throws Exception {
        JsonNode answer = run(script, encoder, ids);
        assertEquals(List.of("Transformer", "Pooling", "Normalize"),
                Json.MAPPER.convertValue(answer.path("modules"), List.class));
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double norm = 0;
            for (float v : expected[i]) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < expected[i].length; j++) {
                worst = Math.max(worst, Math.abs(expected[i][j] - answer.path("mean_pooled").get(i).get(j).asDouble()));
                worst = Math.max(worst, Math.abs(expected[i][j] / norm
                        - answer.path("sentence_embedding").get(i).get(j).asDouble()));
            }
        }
        assertTrue(worst < 1e-4, encoder.getFileName() + ": largest difference " + worst);
        System.out.printf("%s of %s: largest difference to the reference %.2e%n", encoder.getFileName(),
                encoder.getParent().getFileName(), worst);
    }

    private static JsonNode run(Path script, Path encoder, List<int[]> ids) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("python3", script.toString(), encoder.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().write(Json.MAPPER.writeValueAsBytes(Map.of("input_ids", ids)));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "the reference failed on " + encoder + ": " + output);
        return Json.MAPPER.readTree(output);
    }

    /** The reference script, found from the module directory; skipped visibly where Python has no NumPy. */
    private static Path reference() throws IOException, InterruptedException {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("model/src/test/python/encoder_reference.py");
        assertTrue(Files.isRegularFile(script), script + " is missing");
        int numpy;
        try {
            numpy = new ProcessBuilder("python3", "-c", "import numpy").start().waitFor();
        } catch (IOException e) {
            numpy = -1;
        }
        Assumptions.assumeTrue(numpy == 0, "SKIPPED: python3 with NumPy is not installed (bin/test installs python3-numpy)");
        return script;
    }
}
