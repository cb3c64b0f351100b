package dev.paper2code.tokenization;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A Hugging Face tokenizer (native, through DJL) set up for training data: special tokens added,
 * truncation to {@code maxLength}, no padding. Thread-safe: the native tokenizer is.
 */
public final class TruncatingTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final String fingerprint;

    /** One encoded text. {@code contentTokens} counts the tokens that are not special tokens. */
    public record Encoded(int[] inputIds, int[] attentionMask, boolean truncated, int contentTokens) {
    }

    public TruncatingTokenizer(TokenizerSnapshot snapshot, int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("max length must leave room for text between the special tokens: " + maxLength);
        }
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(snapshot.definition()),
                    Map.of("maxLength", Integer.toString(maxLength), "truncation", "true", "padding", "false",
                            "addSpecialTokens", "true"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the tokenizer from " + snapshot.directory(), e);
        }
        this.maxLength = maxLength;
        this.fingerprint = snapshot.fingerprint(maxLength);
    }

    public Encoded encode(String text) {
        Encoding encoding = tokenizer.encode(text == null ? "" : text);
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        long[] special = encoding.getSpecialTokenMask();
        int[] inputIds = new int[ids.length];
        int[] attentionMask = new int[ids.length];
        int content = 0;
        for (int i = 0; i < ids.length; i++) {
            inputIds[i] = Math.toIntExact(ids[i]);
            attentionMask[i] = (int) mask[i];
            content += special[i] == 0 ? 1 : 0;
        }
        return new Encoded(inputIds, attentionMask, encoding.exceedMaxLength(), content);
    }

    public int maxLength() {
        return maxLength;
    }

    /** SHA-256 (hex) of the tokenizer definition and the max length. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
