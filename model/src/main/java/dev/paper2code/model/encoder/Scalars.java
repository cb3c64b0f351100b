package dev.paper2code.model.encoder;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands for operators on the autograd path. DJL's {@code NDArray.mul(Number)} and friends
 * wrap the number in a tensor over a Java direct buffer, apply the operator and close the wrapper at
 * once; autograd, though, keeps that tensor for the backward pass, and once the garbage collector has
 * freed the buffer the gradients read freed memory (NaN or garbage, depending on GC timing). A scalar
 * made here belongs to the operand's manager, the per-step scope, so it lives until the step ends.
 */
public final class Scalars {
    private Scalars() {
    }

    public static NDArray of(NDArray like, float value) {
        return like.getManager().create(value);
    }
}
