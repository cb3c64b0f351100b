package dev.paper2code.contracts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the trainer lays out its checkpoints, for every module that reads them (search, the launcher, the
 * command line) and the trainer that writes them; no module spells these names itself.
 *
 * <pre>
 * checkpoint root/
 *   champion -&gt; run-…/best_model       the model to serve (search serves it; follow-up runs start from it)
 *   best_model -&gt; run-…/best_model     the best model of the run that saved one last
 *   run-…/run.json, run-…/checkpoint_epoch_N/, run-…/best_model/
 *     each checkpoint: trainer_state.json, checksums.sha256 (see {@link SealedDirectory}), the encoders
 * </pre>
 */
public final class CheckpointLayout {
    /** The serving model: a link under the checkpoint root to the best model of the run that won last. */
    public static final String CHAMPION = "champion";
    /** A run's best epoch; under the root, a link to the best model of the run that saved one last. */
    public static final String BEST_MODEL = "best_model";
    public static final String EPOCH_PREFIX = "checkpoint_epoch_";
    public static final String TRAINER_STATE = "trainer_state.json";
    public static final String RUN_FILE = "run.json";
    public static final String CHECKSUMS = SealedDirectory.CHECKSUMS;

    private CheckpointLayout() {
    }

    public static String epochName(int epoch) {
        return EPOCH_PREFIX + epoch;
    }

    /** {@code root/champion} when it is there and sealed (its checksums file exists; verify before use). */
    public static Optional<Path> champion(Path root) {
        Path champion = root.resolve(CHAMPION);
        return Files.isRegularFile(champion.resolve(CHECKSUMS)) ? Optional.of(champion) : Optional.empty();
    }
}
