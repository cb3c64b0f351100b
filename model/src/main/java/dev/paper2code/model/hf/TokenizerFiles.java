package dev.paper2code.model.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paper2code.model.io.ModelJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer files of a Hugging Face BERT directory, all derived from one {@code tokenizer.json}:
 * the file itself, {@code vocab.txt} (WordPiece tokens by id, one a line, for BertTokenizer and for the
 * project's own vocab.txt reader), {@code tokenizer_config.json} and {@code special_tokens_map.json}.
 */
public final class TokenizerFiles {
    public static final List<String> BERT_SPECIALS = List.of("[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]");
    public static final List<String> ROBERTA_SPECIALS = List.of("<s>", "</s>", "<pad>", "<unk>", "<mask>");

    private final byte[] json;
    private final JsonNode root;
    private final String source;
    private final List<String> vocabLines;

    public TokenizerFiles(byte[] json, String source) throws IOException {
        this.json = json;
        this.source = source;
        try {
            this.root = ModelJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IOException(source + " is not a tokenizer.json: " + e.getMessage(), e);
        }
        if (root == null || !root.path("model").path("vocab").isObject()) {
            throw new IOException(source + " is not a tokenizer.json: no model.vocab map");
        }
        // Checked here, before the importer writes anything, rather than when vocab.txt is written.
        this.vocabLines = modelType().equals("WordPiece") ? vocabById() : null;
    }

    public String modelType() {
        return root.path("model").path("type").asText("");
    }

    /** Highest token id (vocabulary and added tokens) plus one: the rows the embeddings need at least. */
    public int idCount() {
        int max = -1;
        for (JsonNode id : (Iterable<JsonNode>) () -> root.path("model").path("vocab").elements()) {
            max = Math.max(max, id.asInt());
        }
        for (JsonNode token : root.path("added_tokens")) {
            max = Math.max(max, token.path("id").asInt());
        }
        return max + 1;
    }

    /** BertNormalizer's lowercase flag (true when the normalizer does not say, as BertTokenizer's default). */
    public boolean lowercase() {
        JsonNode normalizer = root.path("normalizer");
        return !normalizer.has("lowercase") || normalizer.path("lowercase").asBoolean(true);
    }

    public void write(Path directory, int modelMaxLength, boolean roberta) throws IOException {
        Files.write(directory.resolve("tokenizer.json"), json);
        List<String> specials = roberta ? ROBERTA_SPECIALS : BERT_SPECIALS;
        if (vocabLines != null) {
            Files.write(directory.resolve("vocab.txt"), (String.join("\n", vocabLines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode config = ModelJson.MAPPER.createObjectNode();
        config.put("tokenizer_class", roberta ? "RobertaTokenizer" : "BertTokenizer");
        if (!roberta) {
            config.put("do_lower_case", lowercase());
            config.put("tokenize_chinese_chars", true);
            config.putNull("strip_accents");
        }
        config.put("model_max_length", modelMaxLength);
        config.put("clean_up_tokenization_spaces", true);
        ObjectNode map = ModelJson.MAPPER.createObjectNode();
        String[] keys = {"cls_token", "sep_token", "pad_token", "unk_token", "mask_token"};
        for (int i = 0; i < keys.length; i++) {
            config.put(keys[i], specials.get(i));
            map.put(keys[i], specials.get(i));
        }
        if (roberta) {
            config.put("bos_token", "<s>").put("eos_token", "</s>");
            map.put("bos_token", "<s>").put("eos_token", "</s>");
        }
        writeJson(directory.resolve("tokenizer_config.json"), config);
        writeJson(directory.resolve("special_tokens_map.json"), map);
    }

    /** Tokens ordered by id; vocab.txt has no way to skip an id, so a gap is an error. */
    private List<String> vocabById() throws IOException {
        JsonNode vocab = root.path("model").path("vocab");
        String[] byId = new String[vocab.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            int id = entry.getValue().asInt(-1);
            if (id < 0 || id >= byId.length || byId[id] != null) {
                throw new IOException(source + ": model.vocab ids are not 0.." + (byId.length - 1)
                        + " each once (token " + entry.getKey() + " has id " + id + "); cannot write vocab.txt");
            }
            if (entry.getKey().contains("\n") || entry.getKey().contains("\r")) {
                throw new IOException(source + ": token id " + id + " contains a line break; cannot write vocab.txt");
            }
            byId[id] = entry.getKey();
        }
        return List.of(byId);
    }

    /** The id of a special token, from added_tokens or the vocabulary. */
    public int id(String token, int fallback) {
        for (JsonNode added : root.path("added_tokens")) {
            if (token.equals(added.path("content").asText())) {
                return added.path("id").asInt();
            }
        }
        return root.path("model").path("vocab").path(token).asInt(fallback);
    }

    public static void writeJson(Path file, JsonNode node) throws IOException {
        Files.createDirectories(file.getParent());
        ModelJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
    }
}
