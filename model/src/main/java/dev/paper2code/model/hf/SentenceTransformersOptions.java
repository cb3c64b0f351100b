package dev.paper2code.model.hf;

/**
 * The sentence-transformers modules written next to the model: a Transformer truncating at
 * {@code maxSeqLength} tokens, mean pooling, and (when {@code normalize}) L2 normalization.
 *
 * @param maxSeqLength {@code max_seq_length} of sentence_bert_config.json
 * @param normalize    add the Normalize module, as all-MiniLM-L6-v2 ships it
 */
public record SentenceTransformersOptions(int maxSeqLength, boolean normalize) {
    /** What sentence-transformers/all-MiniLM-L6-v2 itself ships: 256 tokens, mean pooling, normalized. */
    public static final SentenceTransformersOptions MINILM = new SentenceTransformersOptions(256, true);
    /** Mean pooling over at most 256 tokens, no normalization module. */
    public static final SentenceTransformersOptions MEAN_POOLING = new SentenceTransformersOptions(256, false);

    public SentenceTransformersOptions {
        if (maxSeqLength < 3) {
            throw new IllegalArgumentException("max_seq_length must leave room for text between [CLS] and [SEP]: "
                    + maxSeqLength);
        }
    }
}
