package dev.paper2code.model.optim;

import ai.djl.ndarray.NDArray;

/**
 * Clipping by the global L2 norm over all gradients, as {@code torch.nn.utils.clip_grad_norm_}. DJL's
 * optimizer option {@code optClipGrad} clips each element instead, which changes the direction of the
 * update.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Scales the flat gradient by {@code min(1, maxNorm / (norm + 1e-6))} in place and returns the norm
     * before clipping, as a one-element array of the gradient's manager. Nothing is read back to the host,
     * as in PyTorch: the coefficient is clamped on the device and always applied, so a GPU step does not
     * wait here for the norm.
     */
    public static NDArray clipGlobalNorm(NDArray flatGradient, float maxNorm) {
        NDArray norm = flatGradient.norm();
        try (NDArray denominator = norm.add(1e-6f);
             NDArray max = norm.getManager().create(maxNorm).toDevice(norm.getDevice(), false);
             NDArray ratio = max.div(denominator);
             NDArray coefficient = ratio.minimum(1f)) {
            flatGradient.muli(coefficient);
        }
        return norm;
    }
}
