package dev.paper2code.tokenization;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer of a local Hugging Face snapshot directory, as one {@code tokenizer.json} document.
 * Looks, in this order, for {@code tokenizer.json}; {@code vocab.json} + {@code merges.txt}
 * (RoBERTa byte-level BPE, as microsoft/codebert-base ships); {@code vocab.txt} (BERT WordPiece,
 * lower-cased unless {@code tokenizer_config.json} says {@code "do_lower_case": false}).
 *
 * @param definition the {@code tokenizer.json} bytes, read or converted
 * @param format     which files it came from, for logs
 */
public record TokenizerSnapshot(byte[] definition, String format, Path directory) {
    /** Hugging Face's tokenizer settings file, next to tokenizer.json. */
    public static final String CONFIG_FILE = "tokenizer_config.json";
    /** The key of {@link #CONFIG_FILE} that says how many tokens the model takes. */
    public static final String MODEL_MAX_LENGTH = "model_max_length";

    public static TokenizerSnapshot read(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("Tokenizer directory " + directory + " does not exist");
        }
        Path tokenizerJson = directory.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizerJson)) {
            return new TokenizerSnapshot(Files.readAllBytes(tokenizerJson), "tokenizer.json", directory);
        }
        Path vocabJson = directory.resolve("vocab.json");
        Path merges = directory.resolve("merges.txt");
        if (Files.isRegularFile(vocabJson) && Files.isRegularFile(merges)) {
            Map<String, Integer> vocab = Json.MAPPER.readValue(vocabJson.toFile(), new TypeReference<LinkedHashMap<String, Integer>>() { });
            byte[] json = Json.MAPPER.writeValueAsBytes(TokenizerDefinitions.byteLevelBpe(vocab, readMerges(merges),
                    bpeSpecials(directory)));
            return new TokenizerSnapshot(json, "vocab.json + merges.txt (byte-level BPE)", directory);
        }
        Path vocabTxt = directory.resolve("vocab.txt");
        if (Files.isRegularFile(vocabTxt)) {
            Map<String, Integer> vocab = readVocabTxt(vocabTxt);
            byte[] json = Json.MAPPER.writeValueAsBytes(TokenizerDefinitions.wordPiece(vocab, lowercase(directory),
                    TokenizerDefinitions.WordPieceSpecials.BERT));
            return new TokenizerSnapshot(json, "vocab.txt (WordPiece)", directory);
        }
        throw new IllegalArgumentException("No tokenizer in " + directory
                + ": expected tokenizer.json, vocab.json with merges.txt, or vocab.txt");
    }

    /**
     * SHA-256 (hex) of the definition and the max length: what every tokenized record carries, so that a
     * trainer can tell whether records were made by the tokenizer of the model it is about to train
     * without loading the native tokenizer.
     */
    public String fingerprint(int maxLength) {
        java.security.MessageDigest digest = dev.paper2code.contracts.Fingerprints.sha256();
        digest.update(definition);
        digest.update(("\u0000maxLength=" + maxLength).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    /** Number of embedding rows a model needs for this tokenizer: the highest token id plus one. */
    public int vocabularySize() {
        JsonNode root = parse();
        int max = -1;
        for (JsonNode id : (Iterable<JsonNode>) () -> root.path("model").path("vocab").elements()) {
            max = Math.max(max, id.asInt());
        }
        for (JsonNode token : root.path("added_tokens")) {
            max = Math.max(max, token.path("id").asInt());
        }
        if (max < 0) {
            throw new IllegalStateException(directory + ": the tokenizer has no vocabulary map (model.vocab)");
        }
        return max + 1;
    }

    /** The id of the padding token ({@code [PAD]} or {@code <pad>}), which models need for position ids. */
    public int padTokenId() {
        JsonNode root = parse();
        if (root.path("padding").path("pad_id").canConvertToInt()) {
            return root.path("padding").path("pad_id").asInt();
        }
        for (String pad : List.of("[PAD]", "<pad>")) {
            for (JsonNode token : root.path("added_tokens")) {
                if (pad.equals(token.path("content").asText())) {
                    return token.path("id").asInt();
                }
            }
            if (root.path("model").path("vocab").has(pad)) {
                return root.path("model").path("vocab").path(pad).asInt();
            }
        }
        throw new IllegalStateException(directory + ": the tokenizer has no [PAD] or <pad> token");
    }

    private JsonNode parse() {
        try {
            return Json.MAPPER.readTree(definition);
        } catch (IOException e) {
            throw new IllegalStateException(directory + ": unreadable tokenizer definition", e);
        }
    }

    /** Whether {@code directory} holds any of the files {@link #read} accepts. */
    public static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve("tokenizer.json"))
                || Files.isRegularFile(directory.resolve("vocab.json")) && Files.isRegularFile(directory.resolve("merges.txt"))
                || Files.isRegularFile(directory.resolve("vocab.txt"));
    }

    /**
     * Writes a WordPiece vocabulary as a snapshot directory ({@code vocab.txt}, {@code tokenizer_config.json},
     * {@code tokenizer.json}). Each file is written to a temporary name and renamed, {@code tokenizer.json}
     * last, so a crash never leaves a directory that {@link #read} would take for a complete one.
     */
    public static TokenizerSnapshot writeWordPiece(Path directory, Map<String, Integer> vocab) throws IOException {
        Files.createDirectories(directory);
        List<String> lines = vocab.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        writeAtomically(directory.resolve("vocab.txt"), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        writeAtomically(directory.resolve("tokenizer_config.json"),
                "{\"do_lower_case\": true, \"model_max_length\": 512}\n".getBytes(StandardCharsets.UTF_8));
        byte[] json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                TokenizerDefinitions.wordPiece(vocab, true, TokenizerDefinitions.WordPieceSpecials.BERT));
        writeAtomically(directory.resolve("tokenizer.json"), json);
        return new TokenizerSnapshot(json, "tokenizer.json", directory);
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(temp, content);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Map<String, Integer> readVocabTxt(Path file) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String token : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!token.isEmpty()) {
                vocab.putIfAbsent(token, vocab.size());
            }
        }
        return vocab;
    }

    private static List<String> readMerges(Path file) throws IOException {
        List<String> merges = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#version")) {
                merges.add(line);
            }
        }
        return merges;
    }

    private static TokenizerDefinitions.BpeSpecials bpeSpecials(Path directory) throws IOException {
        TokenizerDefinitions.BpeSpecials defaults = TokenizerDefinitions.BpeSpecials.ROBERTA;
        JsonNode map = readJson(directory.resolve("special_tokens_map.json"));
        return new TokenizerDefinitions.BpeSpecials(
                token(map, "bos_token", defaults.bos()), token(map, "pad_token", defaults.pad()),
                token(map, "eos_token", defaults.eos()), token(map, "unk_token", defaults.unk()),
                token(map, "mask_token", defaults.mask()));
    }

    /**
     * {@code model_max_length} from {@code directory/tokenizer_config.json}; empty when the file or the key
     * is absent (Hugging Face's "very large number" for "no limit" counts as absent too).
     */
    public static java.util.OptionalInt modelMaxLength(Path directory) throws IOException {
        JsonNode config = readJson(directory.resolve(CONFIG_FILE));
        JsonNode value = config == null ? null : config.get(MODEL_MAX_LENGTH);
        return value != null && value.canConvertToInt() && value.asInt() > 0 && value.asInt() < 1_000_000
                ? java.util.OptionalInt.of(value.asInt()) : java.util.OptionalInt.empty();
    }

    private static boolean lowercase(Path directory) throws IOException {
        JsonNode config = readJson(directory.resolve(CONFIG_FILE));
        return config == null || config.path("do_lower_case").asBoolean(true);
    }

    private static JsonNode readJson(Path file) throws IOException {
        return Files.isRegularFile(file) ? Json.MAPPER.readTree(file.toFile()) : null;
    }

    /** special_tokens_map.json writes a token either as a string or as {"content": ...}. */
    private static String token(JsonNode map, String field, String fallback) {
        if (map == null || !map.has(field)) {
            return fallback;
        }
        JsonNode node = map.get(field);
        return node.isTextual() ? node.asText() : node.path("content").asText(fallback);
    }
}
