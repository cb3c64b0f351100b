package dev.paper2code.tokenizer.split;

import dev.paper2code.contracts.Fingerprints;
import dev.paper2code.contracts.TokenizedPair;

/**
 * Decides train or validation from a stable hash of the paper id and a salt: the same paper always
 * lands on the same side, on every run and every instance, whatever else arrives. Splitting by paper
 * rather than by pair keeps all repositories of one paper together, so validation never sees a paper
 * the model trained on.
 */
public final class SplitAssigner {
    private final double validationRatio;
    private final String salt;

    public SplitAssigner(double validationRatio, String salt) {
        if (validationRatio < 0 || validationRatio > 1) {
            throw new IllegalArgumentException("validation ratio must be within [0, 1]: " + validationRatio);
        }
        this.validationRatio = validationRatio;
        this.salt = salt;
    }

    public String splitOf(String paperId) {
        return position(paperId) < validationRatio ? TokenizedPair.VAL : TokenizedPair.TRAIN;
    }

    /** Where the paper falls in [0, 1): the top 53 bits of the hash as a fraction. */
    double position(String paperId) {
        return (Fingerprints.of(salt, paperId) >>> 11) * 0x1.0p-53;
    }
}
