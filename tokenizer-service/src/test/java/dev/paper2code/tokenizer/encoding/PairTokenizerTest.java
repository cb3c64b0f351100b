package dev.paper2code.tokenizer.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.tokenizer.TestTokenizers;
import dev.paper2code.tokenizer.vocabulary.TokenizerSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void truncatesToMaxLengthKeepingTheSpecialTokensAndSaysSo() {
        try (PairTokenizer tokenizer = TestTokenizers.wordPiece(dir, 8)) {
            PairTokenizer.Encoded longText = tokenizer.encode("contrastive retrieval ".repeat(10));
            PairTokenizer.Encoded shortText = tokenizer.encode("contrastive");

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
        try (PairTokenizer tokenizer = TestTokenizers.wordPiece(dir, 8)) {
            assertEquals(0, tokenizer.encode("").contentTokens());
            assertEquals(0, tokenizer.encode(null).contentTokens());
            assertEquals(0, tokenizer.encode(" \n ").contentTokens());
        }
    }

    @Test
    void theFingerprintCoversTheMaxLength() throws IOException {
        TestTokenizers.wordPiece(dir, 8).close();
        TokenizerSnapshot snapshot = TokenizerSnapshot.read(dir);
        try (PairTokenizer a = new PairTokenizer(snapshot, 128); PairTokenizer b = new PairTokenizer(snapshot, 128);
             PairTokenizer c = new PairTokenizer(snapshot, 256)) {
            assertEquals(a.fingerprint(), b.fingerprint());
            assertNotEquals(a.fingerprint(), c.fingerprint());
            assertEquals(64, a.fingerprint().length());
        }
        assertThrows(IllegalArgumentException.class, () -> new PairTokenizer(snapshot, 2));
    }
}
