package dev.paper2code.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The scale benchmark's repository embeddings kept on disk between runs: embedding 200,000 repositories
 * takes about 14 minutes on two CPU cores, while the index build it feeds is what a second run (another
 * JVM, another thread count) wants to measure. The file is the vector count, the dimension and the
 * floats, written to a temporary file and moved into place, so a run stopped half-way leaves no file that
 * could be read as complete.
 */
final class EmbeddingCache {
    private EmbeddingCache() {
    }

    /**
     * The vectors in {@code file}, or null when there is none, it holds a different count, or its length
     * is not what its header says (a file from another version of the format, or a damaged one). The
     * file name, not the file, says which export and encoder the vectors are of: the caller names it.
     */
    static float[][] read(Path file, int expectedCount) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < 8) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            int count = in.readInt();
            int dimension = in.readInt();
            if (count != expectedCount || dimension <= 0 || Files.size(file) != 8 + (long) count * dimension * Float.BYTES) {
                return null;
            }
            float[][] vectors = new float[count][dimension];
            for (float[] vector : vectors) {
                for (int j = 0; j < dimension; j++) {
                    vector[j] = in.readFloat();
                }
            }
            return vectors;
        }
    }

    static void write(Path file, float[][] vectors) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20))) {
            out.writeInt(vectors.length);
            out.writeInt(vectors.length == 0 ? 0 : vectors[0].length);
            for (float[] vector : vectors) {
                for (float value : vector) {
                    out.writeFloat(value);
                }
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
