package dev.paper2code.model.contrastive;

/** What one optimizer step saw: the batch loss before the update and the gradient norm before clipping. */
public record TrainStep(float loss, float gradientNorm) {
}
