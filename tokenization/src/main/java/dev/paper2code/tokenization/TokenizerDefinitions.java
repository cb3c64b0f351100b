package dev.paper2code.tokenization;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Writes Hugging Face {@code tokenizer.json} documents for the two classic vocabulary formats, so
 * that every tokenizer, whatever files it came as, runs through the same native Hugging Face
 * tokenizers library: BERT WordPiece ({@code vocab.txt}) and RoBERTa byte-level BPE
 * ({@code vocab.json} + {@code merges.txt}, as microsoft/codebert-base ships).
 */
public final class TokenizerDefinitions {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TokenizerDefinitions() {
    }

    /** The special tokens of a WordPiece vocabulary, by role. */
    public record WordPieceSpecials(String pad, String unk, String cls, String sep, String mask) {
        public static final WordPieceSpecials BERT = new WordPieceSpecials("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

        List<String> all() {
            return List.of(pad, unk, cls, sep, mask);
        }
    }

    /** The special tokens of a byte-level BPE vocabulary, by role. */
    public record BpeSpecials(String bos, String pad, String eos, String unk, String mask) {
        public static final BpeSpecials ROBERTA = new BpeSpecials("<s>", "<pad>", "</s>", "<unk>", "<mask>");

        List<String> all() {
            return List.of(bos, pad, eos, unk, mask);
        }
    }

    /** BERT: clean text, optional lower-casing and accent stripping, split on whitespace and punctuation. */
    public static ObjectNode wordPiece(Map<String, Integer> vocab, boolean lowercase, WordPieceSpecials specials) {
        ObjectNode root = header(vocab, specials.all(), specials.mask(), false);
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "BertNormalizer").put("clean_text", true).put("handle_chinese_chars", true)
                .putNull("strip_accents");
        normalizer.put("lowercase", lowercase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        post.set("single", JSON.arrayNode().add(special(specials.cls(), 0)).add(sequence("A", 0)).add(special(specials.sep(), 0)));
        post.set("pair", JSON.arrayNode().add(special(specials.cls(), 0)).add(sequence("A", 0)).add(special(specials.sep(), 0))
                .add(sequence("B", 1)).add(special(specials.sep(), 1)));
        ObjectNode specialTokens = post.putObject("special_tokens");
        for (String token : List.of(specials.cls(), specials.sep())) {
            ObjectNode entry = specialTokens.putObject(token).put("id", token);
            entry.putArray("ids").add(id(vocab, token));
            entry.putArray("tokens").add(token);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model").put("type", "WordPiece").put("unk_token", specials.unk())
                .put("continuing_subword_prefix", "##").put("max_input_chars_per_word", 100);
        model.set("vocab", vocabNode(vocab));
        return root;
    }

    /** RoBERTa/GPT-2: byte-level pre-tokenization, BPE merges, {@code <s> ... </s>} around each sequence. */
    public static ObjectNode byteLevelBpe(Map<String, Integer> vocab, List<String> merges, BpeSpecials specials) {
        ObjectNode root = header(vocab, specials.all(), specials.mask(), true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing");
        post.putArray("sep").add(specials.eos()).add(id(vocab, specials.eos()));
        post.putArray("cls").add(specials.bos()).add(id(vocab, specials.bos()));
        post.put("trim_offsets", true).put("add_prefix_space", false);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model").put("type", "BPE").putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false)
                .put("byte_fallback", false);
        model.set("vocab", vocabNode(vocab));
        ArrayNode mergeList = model.putArray("merges");
        merges.forEach(mergeList::add);
        return root;
    }

    private static ObjectNode header(Map<String, Integer> vocab, List<String> specials, String mask, boolean maskLstrip) {
        ObjectNode root = JSON.objectNode().put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String token : specials) {
            if (!vocab.containsKey(token)) {
                continue;
            }
            added.addObject().put("id", vocab.get(token)).put("content", token).put("single_word", false)
                    .put("lstrip", maskLstrip && token.equals(mask)).put("rstrip", false)
                    .put("normalized", false).put("special", true);
        }
        return root;
    }

    private static ObjectNode vocabNode(Map<String, Integer> vocab) {
        ObjectNode node = JSON.objectNode();
        vocab.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> node.put(e.getKey(), e.getValue()));
        return node;
    }

    private static ObjectNode special(String token, int typeId) {
        ObjectNode node = JSON.objectNode();
        node.putObject("SpecialToken").put("id", token).put("type_id", typeId);
        return node;
    }

    private static ObjectNode sequence(String id, int typeId) {
        ObjectNode node = JSON.objectNode();
        node.putObject("Sequence").put("id", id).put("type_id", typeId);
        return node;
    }

    private static int id(Map<String, Integer> vocab, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("The vocabulary has no special token " + token);
        }
        return id;
    }
}
