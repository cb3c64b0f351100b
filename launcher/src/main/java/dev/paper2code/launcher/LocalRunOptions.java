package dev.paper2code.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * One local run's options ({@code bin/run-local --help}).
 *
 * @param epochs        null: the trainer's default for a pretrained start, {@link StartModel#SCRATCH_EPOCHS} from scratch
 * @param learningRate  null: the trainer's default (2e-5) for a pretrained start, 5e-4 from scratch
 * @param modelDir      a Hugging Face directory to fine-tune; null: the default pretrained encoder
 * @param scratch       a small RoBERTa from random weights instead of a pretrained encoder
 * @param maxLength     tokens per text; null: 256 for a pretrained start, 512 from scratch
 * @param follow        continuous training: keep running, and let new pairs start warm-start runs
 * @param followRuns    stop after this many follow-up runs (0: until Ctrl-C)
 * @param checkpointDir where runs write checkpoints (search follows it too); null: {@code workDir/checkpoints}
 * @param runSettings   more run settings by their snake_case names, given to the trainer as TRAINER_RUN_*
 */
public record LocalRunOptions(Path projectDir, Path input, Path workDir, int kafkaPort, boolean fresh, boolean keepRunning,
                              Integer epochs, String learningRate, Path modelDir, boolean scratch, Integer maxLength,
                              boolean follow, int followRuns, Path checkpointDir, Map<String, String> runSettings) {
    public LocalRunOptions {
        if (scratch && modelDir != null) {
            throw new IllegalArgumentException("--scratch and --model-dir exclude each other");
        }
    }

    /** The embedded default: the sample data, the pretrained encoder, the trainer's settings. */
    public static LocalRunOptions defaults(Path projectDir) {
        return new LocalRunOptions(projectDir, projectDir.resolve("data/sample/paper_code_pairs.json"),
                projectDir.resolve(".run-local"), 19092, false, false, null, null, null, false, null, false, 0, null,
                Map.of());
    }

    public LocalRunOptions withWorkDir(Path workDir, int kafkaPort) {
        return new LocalRunOptions(projectDir, input, workDir, kafkaPort, fresh, keepRunning, epochs, learningRate, modelDir,
                scratch, maxLength, follow, followRuns, checkpointDir, runSettings);
    }

    public LocalRunOptions fromScratch(int epochs, String learningRate) {
        return new LocalRunOptions(projectDir, input, workDir, kafkaPort, fresh, keepRunning, epochs, learningRate, null,
                true, maxLength, follow, followRuns, checkpointDir, runSettings);
    }

    public LocalRunOptions following(int followRuns) {
        return new LocalRunOptions(projectDir, input, workDir, kafkaPort, fresh, keepRunning, epochs, learningRate, modelDir,
                scratch, maxLength, true, followRuns, checkpointDir, runSettings);
    }

    public Path checkpoints() {
        return checkpointDir != null ? checkpointDir : workDir.resolve("checkpoints");
    }
}
