package dev.paper2code.training.checkpoint;

import dev.paper2code.model.contrastive.SavedModelLayout;
import dev.paper2code.contracts.Directories;
import dev.paper2code.contracts.Json;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.contracts.SealedDirectory;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.history.TrainingCurvesSvg;
import dev.paper2code.training.settings.RunSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Checkpoint directories under the run's checkpoint dir ({@code best_model}, {@code checkpoint_epoch_N})
 * and {@code training_history.json}. A checkpoint is written into a hidden temporary directory,
 * sealed with {@code checksums.sha256} (sha256sum format, one line per file), and renamed into place,
 * so a reader never sees a half-written one; a crash between replacing the old and renaming the new
 * leaves the old one as {@code .NAME.old-*}. Loading verifies every checksum first.
 */
public final class CheckpointStore {
    public static final String STATE_FILE = dev.paper2code.contracts.CheckpointLayout.TRAINER_STATE;
    public static final String CHECKSUMS = SealedDirectory.CHECKSUMS;
    public static final String HISTORY_FILE = "training_history.json";
    public static final String BEST = dev.paper2code.contracts.CheckpointLayout.BEST_MODEL;

    private final Path root;

    public CheckpointStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    private static final String EPOCH_PREFIX = dev.paper2code.contracts.CheckpointLayout.EPOCH_PREFIX;
    private static final java.util.regex.Pattern EPOCH_NAME = java.util.regex.Pattern.compile(EPOCH_PREFIX + "\\d+");

    public static String epochName(int epoch) {
        return dev.paper2code.contracts.CheckpointLayout.epochName(epoch);
    }

    /** The {@code checkpoint_epoch_N} directories in {@code directory}, oldest epoch first; none when it does not exist. */
    static List<Path> epochCheckpoints(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(p -> EPOCH_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(
                            p.getFileName().toString().substring(EPOCH_PREFIX.length()))))
                    .toList();
        }
    }

    /** Deletes all but the newest {@code keep} {@code checkpoint_epoch_N} directories; 0 keeps all. */
    public void keepNewestEpochCheckpoints(int keep) throws IOException {
        if (keep <= 0) {
            return;
        }
        List<Path> epochs = epochCheckpoints(root);
        for (Path old : epochs.subList(0, Math.max(0, epochs.size() - keep))) {
            Directories.deleteRecursively(old);
        }
    }

    /**
     * Writes the model, the optimizer state (when {@code trainer} is given), the run state and the
     * tokenizer: {@code tokenizer/tokenizer.json} and, when {@code maxLength} is known (> 0),
     * {@code tokenizer/tokenizer_config.json} with {@code model_max_length} as Hugging Face records it.
     */
    public Path save(String name, ContrastiveModel model, ContrastiveTrainer trainer, TrainerState state,
            TokenizerSnapshot tokenizer, int maxLength) throws IOException {
        Files.createDirectories(root);
        Path temporary = root.resolve("." + name + ".tmp-" + UUID.randomUUID());
        model.save(temporary);
        if (trainer != null) {
            trainer.saveOptimizer(temporary);
        }
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(temporary.resolve(STATE_FILE).toFile(), state);
        Files.writeString(temporary.resolve(TrainingCurvesSvg.FILE_NAME), TrainingCurvesSvg.render(state.runId(), state.history()));
        if (tokenizer != null) {
            // Each encoder directory opens as it is in transformers and sentence-transformers (issue 24.6).
            for (Path encoder : SavedModelLayout.encoderDirectories(temporary)) {
                dev.paper2code.model.hf.EncoderDirectoryFiles.complete(encoder, model.encoderConfig(),
                        tokenizer.definition(), maxLength);
            }
            Path tokenizerDir = Files.createDirectories(temporary.resolve("tokenizer"));
            Files.write(tokenizerDir.resolve("tokenizer.json"), tokenizer.definition());
            if (maxLength > 0) {
                Json.MAPPER.writeValue(tokenizerDir.resolve(TokenizerSnapshot.CONFIG_FILE).toFile(),
                        Map.of(TokenizerSnapshot.MODEL_MAX_LENGTH, maxLength));
            }
        }
        SealedDirectory.seal(temporary);
        return moveIntoPlace(name, temporary);
    }

    /**
     * Saves {@code name} as the same files as {@code source}, a checkpoint this store has just saved:
     * the best model of an epoch is that epoch's checkpoint, and writing it a second time cost another
     * 520 MB per improving epoch with all-MiniLM-L6-v2 (two towers and their Adam moments). The files
     * are hard-linked, which is safe because a checkpoint's files are never changed in place (every save
     * writes new files and renames them in); deleting the epoch checkpoint later leaves the links. Where
     * the file system has no hard links they are copied.
     */
    public Path saveLinked(String name, Path source) throws IOException {
        Path temporary = root.resolve("." + name + ".tmp-" + UUID.randomUUID());
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path from : (Iterable<Path>) paths::iterator) {
                Path to = temporary.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    linkOrCopy(from, to);
                }
            }
        }
        return moveIntoPlace(name, temporary);
    }

    private static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(from, to);
        }
    }

    /** Renames a sealed temporary checkpoint to {@code name}, replacing the one there (set aside first). */
    private Path moveIntoPlace(String name, Path temporary) throws IOException {
        Path target = root.resolve(name);
        Path old = null;
        if (Files.exists(target)) {
            old = root.resolve("." + name + ".old-" + UUID.randomUUID());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            Directories.deleteRecursively(old);
        }
        return target;
    }

    /** Reads a checkpoint's state after verifying every file against its checksum ({@link SealedDirectory}). */
    public static TrainerState verifyAndRead(Path link) throws IOException {
        // best_model is a symbolic link to a run's best model; the checksums are over the real files.
        return readState(SealedDirectory.verify(link).resolve(STATE_FILE));
    }

    /**
     * trainer_state.json, with the settings a checkpoint of an earlier version did not have yet taken
     * from today's defaults (a missing number would otherwise read as 0 and fail validation).
     */
    static TrainerState readState(Path file) throws IOException {
        com.fasterxml.jackson.databind.JsonNode node = Json.MAPPER.readTree(file.toFile());
        if (node.path("settings") instanceof com.fasterxml.jackson.databind.node.ObjectNode settings) {
            if (!settings.has("dropout")) {
                settings.put("dropout", "0"); // versions before the setting trained without dropout
            }
            RunSettings.defaults().asMap().forEach((name, value) -> {
                if (!settings.has(name)) {
                    settings.set(name, Json.MAPPER.valueToTree(value));
                }
            });
        }
        return Json.MAPPER.treeToValue(node, TrainerState.class);
    }

    /** training_history.json and, next to it, the same epochs drawn as training_curves.svg. */
    public void writeHistory(List<EpochResult> history) throws IOException {
        writeJson(root, HISTORY_FILE, history);
        writeAtomically(root, TrainingCurvesSvg.FILE_NAME, TrainingCurvesSvg.render(root.getFileName().toString(), history)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code value} as {@code directory/fileName} through a hidden temporary file and an atomic rename. */
    static void writeJson(Path directory, String fileName, Object value) throws IOException {
        writeAtomically(directory, fileName, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    }

    /** Writes {@code content} as {@code directory/fileName} through a hidden temporary file and an atomic rename. */
    private static void writeAtomically(Path directory, String fileName, byte[] content) throws IOException {
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + fileName + ".tmp");
        Files.write(temporary, content);
        Files.move(temporary, directory.resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

}
