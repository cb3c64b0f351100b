package dev.paper2code.tokenization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruncatingTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void truncatesToMaxLengthKeepingTheSpecialTokensAndSaysSo() {
        try (TruncatingTokenizer tokenizer = TestTokenizers.wordPiece(dir, 8)) {
            TruncatingTokenizer.Encoded longText = tokenizer.encode("contrastive retrieval ".repeat(10));
            TruncatingTokenizer.Encoded shortText = tokenizer.encode("contrastive");

            assertEquals(8, longText.inputIds().length);
            assertTrue(longText.truncated());
            assertEquals(2, longText.inputIds()[0], "[CLS] first");
            assertEquals(3, longText.inputIds()[7], "[SEP] last");
            assertEquals(6, longText.contentTokens());
            assertFalse(shortText.truncated());
            assertEquals(3, shortText.inputIds().length);
            assertTrue(java.util.Arrays.stream(shortText.attentionMask()).allMatch(m -> m == 1), "no padding");
        }
    }

    @Test
    void emptyTextHasNoContentTokens() {
        try (TruncatingTokenizer tokenizer = TestTokenizers.wordPiece(dir, 8)) {
            assertEquals(0, tokenizer.encode("").contentTokens());
            assertEquals(0, tokenizer.encode(null).contentTokens());
            assertEquals(0, tokenizer.encode(" \n ").contentTokens());
        }
    }

    @Test
    void theFingerprintCoversTheMaxLength() throws IOException {
        TestTokenizers.wordPiece(dir, 8).close();
        TokenizerSnapshot snapshot = TokenizerSnapshot.read(dir);
        try (TruncatingTokenizer a = new TruncatingTokenizer(snapshot, 128); TruncatingTokenizer b = new TruncatingTokenizer(snapshot, 128);
             TruncatingTokenizer c = new TruncatingTokenizer(snapshot, 256)) {
            assertEquals(a.fingerprint(), b.fingerprint());
            assertNotEquals(a.fingerprint(), c.fingerprint());
            assertEquals(64, a.fingerprint().length());
        }
        assertThrows(IllegalArgumentException.class, () -> new TruncatingTokenizer(snapshot, 2));
    }
}
