package dev.paper2code.model.contrastive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Last hidden states of the paper encoder, for checks against Hugging Face references; tests only. */
final class HiddenStates {
    private HiddenStates() {
    }

    /** {@code [size][length][hidden]} */
    static float[][][] ofPapers(ContrastiveModel model, TokenBatch papers) {
        ContrastiveModel.withoutAutograd();
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray hidden = model.encode(model.block().paperEncoder(), scope, papers).get(0);
            int hiddenSize = (int) hidden.getShape().get(2);
            float[] flat = hidden.toFloatArray();
            float[][][] result = new float[papers.size()][papers.length()][hiddenSize];
            for (int b = 0; b < papers.size(); b++) {
                for (int t = 0; t < papers.length(); t++) {
                    System.arraycopy(flat, (b * papers.length() + t) * hiddenSize, result[b][t], 0, hiddenSize);
                }
            }
            return result;
        }
    }
}
