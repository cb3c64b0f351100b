package dev.paper2code.model.hf;

import dev.paper2code.model.encoder.EncoderConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What turns an encoder directory of config.json and model.safetensors into one that Hugging Face
 * {@code AutoModel}/{@code AutoTokenizer} and {@code SentenceTransformer} open as they are: the
 * tokenizer files (tokenizer.json, vocab.txt for WordPiece, tokenizer_config.json with
 * {@code model_max_length}, special_tokens_map.json) and the sentence-transformers modules (mean
 * pooling over attended tokens, then L2 normalization: the embedding the project's search compares
 * by cosine).
 */
public final class EncoderDirectoryFiles {
    private EncoderDirectoryFiles() {
    }

    /**
     * @param tokenizerJson the tokenizer the encoder's records were made with
     * @param maxLength     the length the records were truncated to (0: unknown; the positions' limit then)
     */
    public static void complete(Path encoderDirectory, EncoderConfig config, byte[] tokenizerJson, int maxLength)
            throws IOException {
        TokenizerFiles tokenizer = new TokenizerFiles(tokenizerJson, encoderDirectory + "'s tokenizer");
        int length = maxLength > 0 ? Math.min(maxLength, config.maxSequenceLength()) : config.maxSequenceLength();
        tokenizer.write(encoderDirectory, length, !tokenizer.modelType().equals("WordPiece"));
        SentenceTransformersFiles.write(encoderDirectory, config.hiddenSize(), length,
                new SentenceTransformersOptions(length, true));
    }
}
