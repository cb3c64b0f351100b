package dev.paper2code.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoriesTest {
    @TempDir
    Path root;

    /**
     * Issue 20.10: after a kill -9 during a checkpoint write, {@code .checkpoint_epoch_N.tmp-*} stayed
     * forever. What cut-short writes leave goes at start; checkpoints, links and other files stay.
     */
    @Test
    void theLeftoversOfCutShortWritesAreRemovedAndNothingElse() throws IOException {
        Path run = Files.createDirectories(root.resolve("run-0000abcd"));
        Path epoch = Files.createDirectories(run.resolve("checkpoint_epoch_1"));
        Files.writeString(epoch.resolve("model.safetensors"), "weights");
        Files.writeString(run.resolve("run.json"), "{}");
        Files.createSymbolicLink(root.resolve("best_model"), root.relativize(epoch));
        List<Path> leftovers = List.of(
                Files.createDirectories(run.resolve(".checkpoint_epoch_2.tmp-5b0e2a3c-1c1e-4f0c-9a52-0d2c7f8f7a11")),
                Files.createDirectories(run.resolve(".best_model.old-0d2c7f8f")),
                Files.writeString(run.resolve(".run.json.tmp"), "{"),
                Files.createDirectories(root.resolve(".champion.link-77")));
        Files.writeString(leftovers.get(0).resolve("model.safetensors"), "half");
        Path hiddenButOurs = Files.writeString(run.resolve(".keep"), "not a write's leftover");

        List<Path> removed = RunDirectories.removeLeftovers(root);

        assertEquals(leftovers.stream().sorted().toList(), removed.stream().sorted().toList());
        leftovers.forEach(path -> assertFalse(Files.exists(path), path + " stays"));
        assertTrue(Files.isRegularFile(epoch.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(run.resolve("run.json")));
        assertTrue(Files.isSymbolicLink(root.resolve("best_model")));
        assertTrue(Files.exists(hiddenButOurs));
        assertEquals(List.of(), RunDirectories.removeLeftovers(root.resolve("missing")));
    }
}
