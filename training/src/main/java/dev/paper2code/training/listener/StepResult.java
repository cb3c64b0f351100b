package dev.paper2code.training.listener;

/** One optimizer step: the batch loss before the update, the gradient norm before clipping, the learning rate used. */
public record StepResult(int epoch, long step, float loss, float gradientNorm, float learningRate, int pairs,
                         long nanos) {
}
