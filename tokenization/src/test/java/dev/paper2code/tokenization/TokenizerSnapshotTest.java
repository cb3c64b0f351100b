package dev.paper2code.tokenization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.paper2code.contracts.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading real snapshot-directory layouts from disk and running them through the native tokenizer. */
class TokenizerSnapshotTest {
    @TempDir
    Path dir;

    private static String[] tokens(TokenizerSnapshot snapshot, String text) throws IOException {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(snapshot.definition()), Map.of())) {
            return tokenizer.encode(text).getTokens();
        }
    }

    private static long[] ids(TokenizerSnapshot snapshot, String text) throws IOException {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(snapshot.definition()), Map.of())) {
            Encoding encoding = tokenizer.encode(text);
            return encoding.getIds();
        }
    }

    @Test
    void bertVocabTxtIsWordPieceLowerCasedByDefault() throws IOException {
        Files.write(dir.resolve("vocab.txt"), List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "wor", "##ld", "!"));

        TokenizerSnapshot snapshot = TokenizerSnapshot.read(dir);

        assertEquals("vocab.txt (WordPiece)", snapshot.format());
        assertArrayEquals(new String[] {"[CLS]", "hello", "world", "!", "[SEP]"}, tokens(snapshot, "Héllo WORLD!"));
        assertArrayEquals(new long[] {2, 5, 6, 9, 3}, ids(snapshot, "Héllo WORLD!"));
        assertArrayEquals(new String[] {"[CLS]", "[UNK]", "[SEP]"}, tokens(snapshot, "unknown"));
    }

    @Test
    void tokenizerConfigCanKeepCase() throws IOException {
        Files.write(dir.resolve("vocab.txt"), List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Hello", "hello"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");

        assertArrayEquals(new String[] {"[CLS]", "Hello", "[SEP]"}, tokens(TokenizerSnapshot.read(dir), "Hello"));
    }

    @Test
    void robertaVocabJsonAndMergesAreByteLevelBpe() throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String special : List.of("<s>", "<pad>", "</s>", "<unk>")) {
            vocab.put(special, vocab.size());
        }
        for (String symbol : byteLevelAlphabet()) {
            vocab.putIfAbsent(symbol, vocab.size());
        }
        List<String> merges = List.of("t h", "th e", "Ġ c", "Ġc a", "Ġca t");
        for (String merge : merges) {
            vocab.putIfAbsent(merge.replace(" ", ""), vocab.size());
        }
        vocab.put("<mask>", vocab.size());
        Json.MAPPER.writeValue(dir.resolve("vocab.json").toFile(), vocab);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", merges) + "\n");

        TokenizerSnapshot snapshot = TokenizerSnapshot.read(dir);

        assertEquals("vocab.json + merges.txt (byte-level BPE)", snapshot.format());
        assertArrayEquals(new String[] {"<s>", "the", "Ġcat", "</s>"}, tokens(snapshot, "the cat"));
        assertArrayEquals(new long[] {0, vocab.get("the"), vocab.get("Ġcat"), 2}, ids(snapshot, "the cat"));
        assertArrayEquals(new String[] {"<s>", "Ġ", "Ã", "©", "</s>"}, tokens(snapshot, " é"),
                "bytes outside the merges fall back to single byte symbols, never to <unk>");
    }

    @Test
    void tokenizerJsonWinsOverOtherFiles() throws IOException {
        Files.write(dir.resolve("vocab.txt"), List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "other"));
        TokenizerSnapshot.writeWordPiece(dir.resolve("built"), Map.of("[PAD]", 0, "[UNK]", 1, "[CLS]", 2, "[SEP]", 3, "[MASK]", 4, "tokens", 5));
        Files.copy(dir.resolve("built/tokenizer.json"), dir.resolve("tokenizer.json"));

        TokenizerSnapshot snapshot = TokenizerSnapshot.read(dir);

        assertEquals("tokenizer.json", snapshot.format());
        assertArrayEquals(new String[] {"[CLS]", "tokens", "[SEP]"}, tokens(snapshot, "tokens"));
    }

    @Test
    void aDirectoryWithoutTokenizerFilesIsRefusedNamingWhatItLooksFor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerSnapshot.read(dir));
        assertTrue(e.getMessage().contains("tokenizer.json, vocab.json with merges.txt, or vocab.txt"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TokenizerSnapshot.read(dir.resolve("absent")));
    }

    /** GPT-2's printable stand-ins for the 256 byte values. */
    private static List<String> byteLevelAlphabet() {
        List<Integer> printable = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            printable.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable.add(b);
        }
        List<String> symbols = new ArrayList<>();
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            int cp = printable.contains(b) ? b : 256 + extra++;
            symbols.add(new String(Character.toChars(cp)));
        }
        return symbols;
    }

    @Test
    void reportsVocabularySizeAndPaddingIdForModelsBuiltFromScratch() throws IOException {
        TokenizerSnapshot bert = TokenizerSnapshot.writeWordPiece(dir.resolve("wp"), new WordPieceTrainer(80).train(TestTokenizers.CORPUS));
        assertEquals(80, bert.vocabularySize());
        assertEquals(0, bert.padTokenId(), "[PAD] comes first in a learned vocabulary");
    }
}
