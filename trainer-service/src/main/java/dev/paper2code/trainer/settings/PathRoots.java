package dev.paper2code.trainer.settings;

import dev.paper2code.contracts.CheckpointLayout;
import dev.paper2code.training.checkpoint.CheckpointStore;
import dev.paper2code.training.settings.RunSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directories a run may read and write, so that no caller of the REST API can make the trainer
 * write, replace or read files elsewhere: checkpoint_dir and resume_from lie under the checkpoint root,
 * warm_start_from under the checkpoint root too, model_dir under the model root, tokenizer_path under the tokenizer root or the model root (a
 * tokenizer ships with its model). Relative settings resolve against the working directory, as they
 * always did; {@code ..} and symbolic links are resolved before the check.
 *
 * <p>A checkpoint directory that already holds anything the trainer does not write there is refused:
 * the trainer replaces its {@code best_model} recursively, and must not do that to someone's files.
 */
public record PathRoots(Path checkpoints, Path models, Path tokenizers) {
    /** What the trainer itself writes into a checkpoint directory (temporary and old copies start with a dot). */
    private static final Pattern TRAINER_ENTRY = Pattern.compile(String.join("|",
            Pattern.quote(CheckpointLayout.BEST_MODEL), Pattern.quote(CheckpointLayout.CHAMPION),
            Pattern.quote(CheckpointLayout.EPOCH_PREFIX) + "\\d+", Pattern.quote(CheckpointStore.HISTORY_FILE),
            "run-[0-9a-f]{8}", "\\..*"));

    public PathRoots {
        checkpoints = real(checkpoints);
        models = real(models);
        tokenizers = real(tokenizers);
    }

    /** @throws IllegalArgumentException naming the setting, its value and the root it must stay in */
    public void check(RunSettings settings) {
        requireInside("checkpoint_dir", settings.checkpointDir(), checkpoints);
        requireInside("resume_from", settings.resumeFrom(), checkpoints);
        requireInside("warm_start_from", settings.warmStartFrom(), checkpoints);
        requireInside("model_dir", settings.modelDir(), models);
        requireInside("tokenizer_path", settings.tokenizerPath(), tokenizers, models);
        requireOnlyTrainerFiles(real(Path.of(settings.checkpointDir())));
    }

    private static void requireInside(String setting, String value, Path... roots) {
        if (value == null) {
            return;
        }
        Path path = real(Path.of(value));
        if (Arrays.stream(roots).noneMatch(path::startsWith)) {
            throw new IllegalArgumentException(setting + " " + value + " is outside "
                    + (roots.length == 1 ? "the allowed directory " + roots[0] : "the allowed directories " + List.of(roots))
                    + " (trainer.paths.*)");
        }
    }

    private static void requireOnlyTrainerFiles(Path directory) {
        try {
            List<String> foreign = foreignEntries(directory, 2);
            if (!foreign.isEmpty()) {
                throw new IllegalArgumentException("checkpoint_dir " + directory + " holds files the trainer did not "
                        + "write (" + String.join(", ", foreign) + "); use an empty or a trainer's checkpoint directory");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint_dir " + directory + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Entries the trainer does not write: neither its own names nor, {@code depth} levels down, another
     * checkpoint directory of the trainer's (a run may use a directory below the root's own runs).
     */
    private static List<String> foreignEntries(Path directory, int depth) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            List<String> foreign = new java.util.ArrayList<>();
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                boolean trainers = TRAINER_ENTRY.matcher(name).matches()
                        || depth > 1 && Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && foreignEntries(entry, depth - 1).isEmpty();
                if (!trainers && foreign.size() < 5) {
                    foreign.add(name);
                }
            }
            return foreign;
        }
    }

    /** Absolute, normalized, with the symbolic links of its existing part resolved. */
    static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            return absolute;
        }
    }
}
