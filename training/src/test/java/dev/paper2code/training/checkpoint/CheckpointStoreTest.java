package dev.paper2code.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.paper2code.contracts.Directories;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.model.encoder.EncoderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path root;

    private static TrainerState state(int epoch) {
        return new TrainerState("run-1", epoch, 10L * epoch, 30, "fingerprint", null, List.of());
    }

    /** Saves a small model from scratch (seeded, so every call holds the same weights) with its optimizer as {@code name}. */
    private static Path save(CheckpointStore store, String name, int epoch) throws IOException {
        try (ContrastiveModel model = ContrastiveModel.fromScratch(EncoderConfig.smallRoberta(50, 0, 16), 1,
                ContrastiveOptions.seedDefaults(), Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            return store.save(name, model, trainer, state(epoch), null, 0);
        }
    }

    @Test
    void aCheckpointIsReplacedWholeAndVerifiedByItsChecksums() throws IOException {
        CheckpointStore store = new CheckpointStore(root);
        save(store, CheckpointStore.BEST, 1);
        Path best = save(store, CheckpointStore.BEST, 2);

        assertEquals(2, CheckpointStore.verifyAndRead(best).epoch());
        try (Stream<Path> entries = Files.list(root)) {
            assertEquals(List.of(best), entries.toList(), "no temporary or old copy is left behind");
        }
        List<String> sums = Files.readAllLines(best.resolve(CheckpointStore.CHECKSUMS));
        assertTrue(sums.stream().anyMatch(l -> l.endsWith("  paper_encoder/model.safetensors")), sums.toString());
        assertTrue(sums.stream().anyMatch(l -> l.endsWith("  optimizer.safetensors")), sums.toString());
        assertFalse(sums.stream().anyMatch(l -> l.endsWith(CheckpointStore.CHECKSUMS)));
    }

    /** The best model is its epoch's checkpoint, linked file for file, and outlives that checkpoint's deletion. */
    @Test
    void theBestModelSharesItsEpochsFilesAndOutlivesThem() throws IOException {
        CheckpointStore store = new CheckpointStore(root);
        Path epoch = save(store, CheckpointStore.epochName(1), 1);
        save(store, CheckpointStore.BEST, 0); // an earlier best, replaced
        Path best = store.saveLinked(CheckpointStore.BEST, epoch);

        assertTrue(Files.isSameFile(epoch.resolve("optimizer.safetensors"), best.resolve("optimizer.safetensors")));
        assertTrue(Files.isSameFile(epoch.resolve("paper_encoder/model.safetensors"),
                best.resolve("paper_encoder/model.safetensors")));
        Directories.deleteRecursively(epoch);
        assertEquals(1, CheckpointStore.verifyAndRead(best).epoch());
        try (Stream<Path> entries = Files.list(root)) {
            assertEquals(List.of(best), entries.toList(), "no temporary or old copy is left behind");
        }
    }

    @Test
    void aCorruptedOrIncompleteCheckpointIsRefusedWithTheFileNamed() throws IOException {
        Path saved = save(new CheckpointStore(root), CheckpointStore.epochName(1), 1);
        Path weights = saved.resolve("code_encoder/model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        Files.delete(saved.resolve("optimizer.safetensors"));

        IOException error = assertThrows(IOException.class, () -> CheckpointStore.verifyAndRead(saved));
        assertTrue(error.getMessage().contains("code_encoder/model.safetensors does not match its checksum"),
                error.getMessage());
        assertTrue(error.getMessage().contains("optimizer.safetensors is missing"), error.getMessage());
    }

    /** A checkpoint written before settings such as broker_wait_seconds existed still reads, with today's defaults. */
    @Test
    void aTrainerStateFromAnEarlierVersionReadsWithTheNewSettingsDefaulted() throws IOException {
        Path file = root.resolve("trainer_state.json");
        Files.createDirectories(root);
        Files.writeString(file, """
                {"run_id": "run-old", "epoch": 1, "step": 9, "total_steps": 27, "tokenizer_fingerprint": "f",
                 "settings": {"batch_size": 8, "num_epochs": 3, "learning_rate": 5e-4, "warmup_ratio": 0.1,
                              "temperature": 0.07, "weight_decay": 0.01, "max_grad_norm": 1.0, "seed": 42,
                              "shared_encoder": false, "symmetric_loss": false, "learnable_temperature": false,
                              "best_metric": "val_loss", "checkpoint_dir": "checkpoints", "shuffle_buffer": 4096,
                              "train_topic": "t", "val_topic": "v"},
                 "history": []}
                """);

        TrainerState state = CheckpointStore.readState(file);

        assertEquals(300, state.settings().brokerWaitSeconds());
        assertEquals(0.1f, state.settings().maxInvalidShare());
        assertEquals(8, state.settings().batchSize());
        assertEquals("0", state.settings().dropout(), "runs before the dropout setting trained without dropout");
        assertEquals(0, state.settings().miniBatchSize());
    }
}
