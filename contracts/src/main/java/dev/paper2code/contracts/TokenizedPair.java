package dev.paper2code.contracts;

/**
 * A {@link TextPair} after tokenization: what the trainer consumes. Sequences carry the tokenizer's
 * special tokens and are truncated to {@code maxLength}, not padded (the trainer pads per batch).
 *
 * @param split                {@code train} or {@code val}; decided by the paper id, so never changes
 * @param tokenizerFingerprint SHA-256 of the tokenizer definition and the max length; the trainer
 *                             refuses to mix records with different fingerprints
 */
public record TokenizedPair(
        String pairId,
        String paperId,
        String repository,
        String split,
        int[] paperInputIds,
        int[] paperAttentionMask,
        boolean paperTruncated,
        int[] codeInputIds,
        int[] codeAttentionMask,
        boolean codeTruncated,
        String tokenizerFingerprint,
        int maxLength) {

    public static final String TRAIN = "train";
    public static final String VAL = "val";
}
