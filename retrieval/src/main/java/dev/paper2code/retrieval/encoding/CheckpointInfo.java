package dev.paper2code.retrieval.encoding;

/**
 * Which trained model serves: the checkpoint directory (its real path, behind any link), the run that
 * wrote it and the epoch, from its {@code trainer_state.json}.
 */
public record CheckpointInfo(String path, String runId, Integer epoch, int maxLength) {
}
