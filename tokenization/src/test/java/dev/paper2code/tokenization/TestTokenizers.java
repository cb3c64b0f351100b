package dev.paper2code.tokenization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Small tokenizers learned the way the service learns them, for tests. */
public final class TestTokenizers {
    public static final List<String> CORPUS = List.of(
            "Contrastive learning of sentence embeddings with dropout noise",
            "Dense passage retrieval trains a question encoder and a passage encoder",
            "example/contrastive-code\nReference implementation of contrastive retrieval",
            "Token routing for sparse mixtures of experts",
            "example/moe-router\nRouter kernels for mixtures of experts",
            "Attention is all you need: the transformer encoder and decoder");

    private TestTokenizers() {
    }

    public static TruncatingTokenizer wordPiece(Path directory, int maxLength) {
        try {
            TokenizerSnapshot snapshot = TokenizerSnapshot.writeWordPiece(directory, new WordPieceTrainer(400).train(CORPUS));
            return new TruncatingTokenizer(snapshot, maxLength);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
