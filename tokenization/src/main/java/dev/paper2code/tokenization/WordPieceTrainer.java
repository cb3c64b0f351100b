package dev.paper2code.tokenization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Learns a WordPiece vocabulary from a corpus the way Hugging Face's WordPiece trainer does: start
 * from every character (word-initial, and {@code ##}-continuation), then repeatedly merge the most
 * frequent adjacent pair of pieces until the vocabulary is full or no pair occurs twice. Ties break
 * on the pieces' text, so the same corpus always gives the same vocabulary.
 */
public final class WordPieceTrainer {
    private static final String PREFIX = "##";
    private final int vocabSize;

    public WordPieceTrainer(int vocabSize) {
        this.vocabSize = vocabSize;
    }

    /** @return token to id: the BERT special tokens first ({@code [PAD]} = 0), then the learned pieces */
    public Map<String, Integer> train(Iterable<String> texts) {
        Map<String, Long> wordCounts = new HashMap<>();
        for (String text : texts) {
            for (String word : BertPreTokenization.words(text)) {
                wordCounts.merge(word, 1L, Long::sum);
            }
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        TokenizerDefinitions.WordPieceSpecials.BERT.all().forEach(token -> vocab.put(token, vocab.size()));

        List<List<String>> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        TreeSet<String> alphabet = new TreeSet<>();
        wordCounts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<String> pieces = new ArrayList<>();
            int[] cps = e.getKey().codePoints().toArray();
            for (int i = 0; i < cps.length; i++) {
                String piece = (i == 0 ? "" : PREFIX) + new String(Character.toChars(cps[i]));
                pieces.add(piece);
                alphabet.add(piece);
            }
            words.add(pieces);
            counts.add(e.getValue());
        });
        alphabet.forEach(piece -> vocab.putIfAbsent(piece, vocab.size()));

        while (vocab.size() < vocabSize) {
            Map<String, Long> pairCounts = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> pieces = words.get(w);
                for (int i = 0; i + 1 < pieces.size(); i++) {
                    pairCounts.merge(pieces.get(i) + "\u0000" + pieces.get(i + 1), counts.get(w), Long::sum);
                }
            }
            Map.Entry<String, Long> best = null;
            for (Map.Entry<String, Long> candidate : pairCounts.entrySet()) {
                if (best == null || candidate.getValue() > best.getValue()
                        || candidate.getValue().equals(best.getValue()) && candidate.getKey().compareTo(best.getKey()) < 0) {
                    best = candidate;
                }
            }
            if (best == null || best.getValue() < 2) {
                break;
            }
            String[] pair = best.getKey().split("\u0000", 2);
            String merged = pair[0] + (pair[1].startsWith(PREFIX) ? pair[1].substring(PREFIX.length()) : pair[1]);
            vocab.putIfAbsent(merged, vocab.size());
            for (List<String> pieces : words) {
                for (int i = 0; i + 1 < pieces.size(); i++) {
                    if (pieces.get(i).equals(pair[0]) && pieces.get(i + 1).equals(pair[1])) {
                        pieces.set(i, merged);
                        pieces.remove(i + 1);
                    }
                }
            }
        }
        return vocab;
    }
}
