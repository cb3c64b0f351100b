package dev.paper2code.retrieval.encoding;

import dev.paper2code.model.contrastive.SavedModelLayout;
import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.retrieval.Vectors;
import dev.paper2code.contracts.SealedDirectory;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The paper encoder, the code encoder and the tokenizer of one trained checkpoint, loaded only after
 * the checkpoint's checksums verify. Texts are tokenized as the training data was (special tokens,
 * truncation to the checkpoint's {@code model_max_length}), embedded, and L2-normalized, so that a dot
 * product is the cosine similarity the model was trained with. Thread-safe: calls take turns on the
 * native model (one forward pass already uses every core).
 */
public final class CheckpointEncoders implements AutoCloseable {
    /** How many texts go through the encoder at once when a corpus is embedded. */
    private static final int BATCH = 32;

    private final ContrastiveModel model;
    private final TruncatingTokenizer tokenizer;
    private final CheckpointInfo info;

    /** One embedded query and whether its text was cut to the max length. */
    public record Query(float[] vector, boolean truncated, int tokens) {
    }

    private CheckpointEncoders(ContrastiveModel model, TruncatingTokenizer tokenizer, CheckpointInfo info) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.info = info;
    }

    /**
     * Opens a checkpoint the trainer wrote ({@code contrastive.json}, both encoders, {@code tokenizer/},
     * {@code checksums.sha256}).
     *
     * @throws IOException when it fails its checksums or lacks a part
     */
    public static CheckpointEncoders open(Path checkpoint) throws IOException {
        Path real = SealedDirectory.verify(checkpoint);
        Path tokenizerDir = real.resolve("tokenizer");
        if (!Files.isRegularFile(real.resolve(SavedModelLayout.OPTIONS_FILE)) || !Files.isDirectory(tokenizerDir)) {
            throw new IOException(real + " is not a trained checkpoint: it needs " + SavedModelLayout.OPTIONS_FILE
                    + " and tokenizer/");
        }
        EncoderConfig config = SavedModelLayout.encoderConfig(real);
        // Checkpoints of earlier versions do not record the max length; the model's positions bound it.
        int maxLength = TokenizerSnapshot.modelMaxLength(tokenizerDir)
                .orElse(Math.min(512, config.maxPositionEmbeddings() - config.padTokenId() - 1));
        JsonNode state = Files.isRegularFile(real.resolve("trainer_state.json"))
                ? Json.MAPPER.readTree(real.resolve("trainer_state.json").toFile()) : null;
        CheckpointInfo info = new CheckpointInfo(real.toString(),
                state == null ? null : state.path("run_id").asText(null),
                state == null || !state.has("epoch") ? null : state.path("epoch").asInt(), maxLength,
                SealedDirectory.fingerprint(real));
        Device device = Engine.getInstance().defaultDevice();
        TruncatingTokenizer tokenizer = new TruncatingTokenizer(TokenizerSnapshot.read(tokenizerDir), maxLength);
        try {
            return new CheckpointEncoders(ContrastiveModel.load(real, device), tokenizer, info);
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * A Hugging Face model directory as both towers, before any training: the zero-shot baseline a
     * fine-tuned model is compared with. Texts are cut at {@code maxLength} tokens, as the training data.
     */
    public static CheckpointEncoders pretrained(Path modelDirectory, int maxLength) throws IOException {
        Path real = modelDirectory.toRealPath();
        TruncatingTokenizer tokenizer = new TruncatingTokenizer(TokenizerSnapshot.read(real), maxLength);
        try {
            // One shared tower: before training both towers are the same weights, and half the memory.
            var seed = dev.paper2code.model.contrastive.ContrastiveOptions.seedDefaults();
            ContrastiveModel model = ContrastiveModel.fromPretrained(real,
                    new dev.paper2code.model.contrastive.ContrastiveOptions(seed.temperature(), false, true, false,
                            seed.weightDecay()), Engine.getInstance().defaultDevice());
            return new CheckpointEncoders(model, tokenizer, new CheckpointInfo(real.toString(), null, null, maxLength,
                    null));
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    public CheckpointInfo info() {
        return info;
    }

    public int dimension() {
        return model.encoderConfig().hiddenSize();
    }

    /** A paper text as a query. */
    public synchronized Query embedQuery(String text) {
        TruncatingTokenizer.Encoded encoded = tokenizer.encode(text);
        float[] vector = model.embedPapers(TokenBatch.pad(List.of(encoded.inputIds()), padId()))[0];
        return new Query(Vectors.unit(vector), encoded.truncated(), encoded.inputIds().length);
    }

    public float[][] embedPapers(List<String> texts) {
        return embed(texts, true);
    }

    public float[][] embedCode(List<String> texts) {
        return embed(texts, false);
    }

    /**
     * Embeds in batches of {@link #BATCH} texts of similar length: the texts are ordered by token count
     * first, so a batch is padded to its own longest text rather than to the longest of a random 32
     * (abstracts run from 19 to 288 words). Each vector comes back at its text's position.
     */
    private synchronized float[][] embed(List<String> texts, boolean papers) {
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenizer.encode(texts.get(i)).inputIds();
        }
        Integer[] byLength = new Integer[ids.length];
        for (int i = 0; i < byLength.length; i++) {
            byLength[i] = i;
        }
        Arrays.sort(byLength, Comparator.comparingInt(i -> ids[i].length));
        float[][] vectors = new float[texts.size()][];
        for (int start = 0; start < byLength.length; start += BATCH) {
            int end = Math.min(byLength.length, start + BATCH);
            List<int[]> batchIds = new ArrayList<>(end - start);
            for (int j = start; j < end; j++) {
                batchIds.add(ids[byLength[j]]);
            }
            TokenBatch batch = TokenBatch.pad(batchIds, padId());
            float[][] embedded = papers ? model.embedPapers(batch) : model.embedCode(batch);
            for (int j = 0; j < embedded.length; j++) {
                vectors[byLength[start + j]] = Vectors.unit(embedded[j]);
            }
        }
        return vectors;
    }

    private int padId() {
        return model.encoderConfig().padTokenId();
    }


    @Override
    public void close() {
        try (tokenizer) {
            model.close();
        }
    }
}
