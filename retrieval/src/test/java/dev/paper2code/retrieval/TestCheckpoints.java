package dev.paper2code.retrieval;

import ai.djl.engine.Engine;
import dev.paper2code.contracts.Json;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.contracts.SealedDirectory;
import dev.paper2code.tokenization.TestTokenizers;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checkpoints laid out as the trainer writes them (model, {@code tokenizer/} with its max length,
 * {@code trainer_state.json}, sealed), from a small seeded random model: what search loads in tests.
 */
public final class TestCheckpoints {
    public static final int MAX_LENGTH = 32;

    private TestCheckpoints() {
    }

    /** Writes a sealed checkpoint of a random two-encoder model into {@code directory}. */
    public static Path write(Path directory, long seed, String runId, int epoch) throws IOException {
        Path tokenizerDir = Files.createDirectories(directory.resolve("tokenizer"));
        TokenizerSnapshot snapshot;
        try (TruncatingTokenizer ignored = TestTokenizers.wordPiece(tokenizerDir, MAX_LENGTH)) {
            snapshot = TokenizerSnapshot.read(tokenizerDir);
        }
        // As the trainer writes it: tokenizer.json and the max length, nothing else.
        try (var files = Files.list(tokenizerDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.write(tokenizerDir.resolve("tokenizer.json"), snapshot.definition());
        Json.MAPPER.writeValue(tokenizerDir.resolve(TokenizerSnapshot.CONFIG_FILE).toFile(),
                Map.of(TokenizerSnapshot.MODEL_MAX_LENGTH, MAX_LENGTH));
        EncoderConfig config = EncoderConfig.smallRoberta(snapshot.vocabularySize(), snapshot.padTokenId(), MAX_LENGTH);
        try (ContrastiveModel model = ContrastiveModel.fromScratch(config, seed, ContrastiveOptions.seedDefaults(),
                Engine.getInstance().defaultDevice())) {
            model.save(directory);
        }
        Json.MAPPER.writeValue(directory.resolve("trainer_state.json").toFile(),
                Map.of("run_id", runId, "epoch", epoch));
        SealedDirectory.seal(directory);
        return directory;
    }
}
