package dev.paper2code.training.checkpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.paper2code.contracts.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Every run writes under its own directory, {@code <checkpoint_dir>/<run id>/}, so that no run ever
 * overwrites another's checkpoints; {@code <checkpoint_dir>/best_model} is a symbolic link to the best
 * model of the run that saved one last, switched atomically. {@code run.json} in a run's directory
 * says how the run stands, which is how a restarted trainer finds a run to resume: one still RUNNING
 * (the process died) or STOPPED for a shutdown, with at least one epoch checkpoint.
 */
public final class RunDirectories {
    private static final Logger LOG = Logger.getLogger(RunDirectories.class);
    public static final String RUN_FILE = dev.paper2code.contracts.CheckpointLayout.RUN_FILE;

    /** {@code state}: RUNNING, FINISHED, STOPPED or FAILED; {@code stopReason}: who stopped it ({@code user}, {@code shutdown}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunRecord(String runId, String state, String stopReason, Instant updatedAt) {
        boolean interrupted() {
            return "RUNNING".equals(state) || "STOPPED".equals(state) && "shutdown".equals(stopReason);
        }
    }

    /** A run to resume: its id and its newest epoch checkpoint. */
    public record Interrupted(String runId, Path lastCheckpoint) {
    }

    private RunDirectories() {
    }

    /**
     * What writes killed mid-way leave: the hidden temporaries of {@link CheckpointStore#save}
     * ({@code .checkpoint_epoch_N.tmp-<uuid>}, {@code .best_model.old-<uuid>}), of the atomic file
     * writes ({@code .run.json.tmp}) and of link switches ({@code .champion.link-<uuid>}).
     */
    static final java.util.regex.Pattern LEFTOVER = java.util.regex.Pattern.compile("\\..+\\.(tmp|tmp-.+|old-.+|link-.+)");

    /**
     * Removes those leftovers from {@code checkpointDir} and each run directory in it; called at start,
     * before any run writes (a trainer killed with -9 during a checkpoint write left them forever).
     */
    public static java.util.List<Path> removeLeftovers(Path checkpointDir) throws IOException {
        java.util.function.Predicate<String> leftover = LEFTOVER.asMatchPredicate();
        java.util.List<Path> removed = new java.util.ArrayList<>(
                dev.paper2code.contracts.Directories.removeLeftovers(checkpointDir, leftover));
        if (Files.isDirectory(checkpointDir)) {
            try (Stream<Path> runs = Files.list(checkpointDir)) {
                for (Path run : runs.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                    removed.addAll(dev.paper2code.contracts.Directories.removeLeftovers(run, leftover));
                }
            }
        }
        return removed;
    }

    public static Path runDirectory(Path checkpointDir, String runId) {
        return checkpointDir.resolve(runId);
    }

    public static void record(Path runDirectory, String runId, String state, String stopReason) throws IOException {
        CheckpointStore.writeJson(runDirectory, RUN_FILE, new RunRecord(runId, state, stopReason, Instant.now()));
    }

    /** Points {@code <checkpoint_dir>/best_model} at {@code best} (a directory inside it), replacing what was there. */
    public static void linkBest(Path checkpointDir, Path best) throws IOException {
        link(checkpointDir, CheckpointStore.BEST, best);
    }

    /** Points {@code <checkpoint_dir>/champion} at {@code model} (a run's best_model), atomically. */
    public static void linkChampion(Path checkpointDir, Path model) throws IOException {
        link(checkpointDir, CHAMPION, model);
    }

    /** The serving model: what search and bin/embed use, and what follow-up runs start from. */
    public static final String CHAMPION = dev.paper2code.contracts.CheckpointLayout.CHAMPION;

    private static void link(Path checkpointDir, String name, Path target) throws IOException {
        Path link = checkpointDir.resolve(name);
        Path temporary = checkpointDir.resolve("." + name + ".link-" + UUID.randomUUID());
        Files.createSymbolicLink(temporary, checkpointDir.toAbsolutePath().relativize(target.toAbsolutePath()));
        if (Files.isDirectory(link) && !Files.isSymbolicLink(link)) {
            // best_model of the layout before run directories: a real directory, set aside first, and
            // only when it is a trainer's checkpoint.
            if (!name.equals(CheckpointStore.BEST) || !Files.isRegularFile(link.resolve(CheckpointStore.CHECKSUMS))
                    || !Files.isRegularFile(link.resolve(CheckpointStore.STATE_FILE))) {
                Files.deleteIfExists(temporary);
                throw new IOException(link + " is a directory the trainer did not write; not replacing it");
            }
            Path old = checkpointDir.resolve("." + name + ".old-" + UUID.randomUUID());
            Files.move(link, old, StandardCopyOption.ATOMIC_MOVE);
            dev.paper2code.contracts.Directories.deleteRecursively(old);
        }
        Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The most recently updated interrupted run under {@code checkpointDir} that has an epoch checkpoint. */
    public static Optional<Interrupted> findInterrupted(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> runs = Files.list(checkpointDir)) {
            return runs.filter(dir -> Files.isRegularFile(dir.resolve(RUN_FILE)))
                    .map(RunDirectories::readRecord).flatMap(Optional::stream)
                    .filter(found -> found.record().interrupted())
                    .sorted(Comparator.comparing((Found found) -> found.record().updatedAt()).reversed())
                    .flatMap(found -> lastCheckpoint(found.directory())
                            .map(checkpoint -> new Interrupted(found.record().runId(), checkpoint)).stream())
                    .findFirst();
        } catch (IOException e) {
            LOG.warnf("Cannot look for interrupted runs in %s: %s", checkpointDir, e.getMessage());
            return Optional.empty();
        }
    }

    private record Found(Path directory, RunRecord record) {
    }

    private static Optional<Found> readRecord(Path directory) {
        try {
            return Optional.of(new Found(directory, Json.MAPPER.readValue(directory.resolve(RUN_FILE).toFile(),
                    RunRecord.class)));
        } catch (IOException e) {
            LOG.warnf("Ignoring %s: %s", directory.resolve(RUN_FILE), e.getMessage());
            return Optional.empty();
        }
    }

    /** The newest complete (sealed) epoch checkpoint of a run. */
    private static Optional<Path> lastCheckpoint(Path runDirectory) {
        try {
            return CheckpointStore.epochCheckpoints(runDirectory).stream()
                    .filter(p -> Files.isRegularFile(p.resolve(CheckpointStore.CHECKSUMS)))
                    .reduce((older, newer) -> newer);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
