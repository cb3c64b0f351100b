package dev.paper2code.training.listener;

import ai.djl.Device;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.training.data.SkippedRecords;
import dev.paper2code.training.settings.RunSettings;

/**
 * What a prepared run is: its settings, the model and its trainer, the data it found, and where it
 * starts. Listeners read it; only the loop changes the model.
 *
 * @param tokenizer          the tokenizer snapshot to copy into checkpoints, or null when none was configured
 * @param maxLength          the max length (in tokens) the data was tokenized with; checkpoints record it
 *                           so that whoever embeds new text with them truncates it the same way
 * @param resumedAfterEpoch  the epoch of the checkpoint the run resumed from, 0 for a fresh run
 * @param skipped            the records of the topics that cannot be trained on
 * @param supersededRecords  older versions of pairs republished since, which the run does not read
 */
public record RunContext(
        String runId,
        RunSettings settings,
        Device device,
        ContrastiveModel model,
        ContrastiveTrainer trainer,
        TokenizerSnapshot tokenizer,
        String tokenizerFingerprint,
        int maxLength,
        long trainPairs,
        long valPairs,
        long totalSteps,
        int resumedAfterEpoch,
        SkippedRecords skipped,
        long supersededRecords) {

    public int firstEpoch() {
        return resumedAfterEpoch + 1;
    }
}
