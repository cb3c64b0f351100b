package dev.paper2code.model.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Clipping by the global L2 norm over all gradients, as {@code torch.nn.utils.clip_grad_norm_}. DJL's
 * optimizer option {@code optClipGrad} clips each element instead, which changes the direction of the
 * update.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** Scales all gradients by {@code min(1, maxNorm / (norm + 1e-6))} and returns the norm before clipping. */
    public static float clipGlobalNorm(Collection<Parameter> parameters, float maxNorm) {
        NDManager owner = parameters.iterator().next().getArray().getManager();
        try (NDManager scope = owner.newSubManager()) {
            List<NDArray> gradients = new ArrayList<>();
            for (Parameter parameter : parameters) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.attach(scope);
                gradients.add(gradient);
            }
            // Summed on the device and read once: one synchronisation per step, not one per parameter.
            NDArray sumOfSquares = null;
            for (NDArray gradient : gradients) {
                NDArray squares = gradient.square().sum();
                sumOfSquares = sumOfSquares == null ? squares : sumOfSquares.add(squares);
            }
            float norm = (float) Math.sqrt(sumOfSquares.getFloat());
            float coefficient = maxNorm / (norm + 1e-6f);
            if (coefficient < 1f) {
                for (NDArray gradient : gradients) {
                    gradient.muli(coefficient);
                }
            }
            return norm;
        }
    }
}
