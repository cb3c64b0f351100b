package dev.paper2code.tokenization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTrainerTest {
    @TempDir
    Path dir;

    @Test
    void startsWithTheSpecialTokensAndLearnsFrequentWordsWhole() {
        Map<String, Integer> vocab = new WordPieceTrainer(400).train(TestTokenizers.CORPUS);

        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), vocab.keySet().stream().limit(5).toList());
        assertTrue(vocab.containsKey("contrastive"), "a word seen three times becomes one piece");
        assertTrue(vocab.containsKey("c") && vocab.containsKey("##c"), "every character is a piece, so nothing is unknown");
        assertTrue(vocab.size() <= 400);
    }

    @Test
    void theSameCorpusAlwaysGivesTheSameVocabulary() {
        assertEquals(new WordPieceTrainer(300).train(TestTokenizers.CORPUS), new WordPieceTrainer(300).train(TestTokenizers.CORPUS));
    }

    @Test
    void stopsAtTheRequestedSize() {
        assertEquals(60, new WordPieceTrainer(60).train(TestTokenizers.CORPUS).size());
    }

    @Test
    void aWrittenVocabularyTokenizesItsCorpusWithoutUnknownsAndSurvivesARestart() throws IOException {
        Path tokenizerDir = dir.resolve("tokenizer");
        String fingerprint;
        try (TruncatingTokenizer tokenizer = TestTokenizers.wordPiece(tokenizerDir, 512)) {
            for (String text : TestTokenizers.CORPUS) {
                TruncatingTokenizer.Encoded encoded = tokenizer.encode(text);
                assertFalse(java.util.Arrays.stream(encoded.inputIds()).anyMatch(id -> id == 1), "[UNK] in " + text);
            }
            fingerprint = tokenizer.fingerprint();
        }
        assertTrue(Files.isRegularFile(tokenizerDir.resolve("vocab.txt")));
        assertTrue(TokenizerSnapshot.exists(tokenizerDir));
        try (TruncatingTokenizer reloaded = new TruncatingTokenizer(TokenizerSnapshot.read(tokenizerDir), 512)) {
            assertEquals(fingerprint, reloaded.fingerprint(), "a restart must not change the tokenizer");
        }
    }

    @Test
    void countsWordsAsTheBertPreTokenizerSplitsThem() {
        assertEquals(List.of("cafe", "'", "s", "mixture", "-", "of", "-", "experts", "(", "moe", ")", "中", "文"),
                BertPreTokenization.words("Café's Mixture-of-Experts (MoE)\t中文"));
    }
}
