package dev.paper2code.retrieval.encoding;

/**
 * Which trained model serves: the checkpoint directory (its real path, behind any link), the run that
 * wrote it and the epoch, from its {@code trainer_state.json}; {@code fingerprint} identifies its
 * content ({@code SealedDirectory.fingerprint}), since a run's {@code best_model} is replaced in place.
 */
public record CheckpointInfo(String path, String runId, Integer epoch, int maxLength, String fingerprint) {
}
