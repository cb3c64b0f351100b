package dev.paper2code.model.checkpoint;

import java.util.Arrays;

/** A named tensor read from a checkpoint, as float32 in row-major order whatever its stored type. */
public record Tensor(String name, long[] shape, float[] data) {
    public Tensor {
        long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (size != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + size
                    + " values, found " + data.length);
        }
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}
