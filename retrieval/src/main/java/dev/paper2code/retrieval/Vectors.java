package dev.paper2code.retrieval;

/**
 * The vector arithmetic of embeddings, defined once: unit length (cosine similarity is then a dot
 * product) and the dot product itself, summed in index order so that every ranking of the project
 * (exact search, the zero-shot baseline, validation, hard-negative mining) scores with the same numbers.
 */
public final class Vectors {
    private Vectors() {
    }

    /** {@code vector / |vector|} as a new array; a zero vector stays zero. */
    public static float[] unit(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] * scale);
        }
        return unit;
    }

    public static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
