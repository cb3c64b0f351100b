package dev.paper2code.model.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paper2code.model.io.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The architecture of a BERT-family encoder, read from and written as a Hugging Face {@code config.json}.
 *
 * @param modelType {@code roberta} (position ids start after the padding id) or {@code bert} (they start at 0)
 * @param hiddenDropoutProb          dropout after the embeddings and after each attention output and feed-forward
 *                                   projection, in training only ({@code hidden_dropout_prob}, 0.1 when absent as
 *                                   in Hugging Face)
 * @param attentionProbsDropoutProb  dropout on the attention probabilities, in training only
 *                                   ({@code attention_probs_dropout_prob})
 */
public record EncoderConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        float layerNormEps,
        int padTokenId,
        String hiddenAct,
        float initializerRange,
        float hiddenDropoutProb,
        float attentionProbsDropoutProb) {

    public static final String FILE_NAME = "config.json";
    private static final List<String> SUPPORTED_TYPES = List.of("roberta", "bert");

    public EncoderConfig {
        if (!SUPPORTED_TYPES.contains(modelType)) {
            throw new IllegalArgumentException("model_type '" + modelType + "' is not supported; use one of "
                    + SUPPORTED_TYPES);
        }
        if (!hiddenAct.equals("gelu")) {
            throw new IllegalArgumentException("hidden_act '" + hiddenAct + "' is not supported; only the erf 'gelu' is");
        }
        requireProbability("hidden_dropout_prob", hiddenDropoutProb);
        requireProbability("attention_probs_dropout_prob", attentionProbsDropoutProb);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + numAttentionHeads);
        }
    }

    /** Hugging Face's default for both dropout probabilities when config.json does not say. */
    public static final float DEFAULT_DROPOUT = 0.1f;

    private static void requireProbability(String field, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
        }
    }

    /**
     * A small RoBERTa for training from scratch on a vocabulary built from the corpus: the embedded
     * default, sized so that a CPU trains it in minutes.
     */
    public static EncoderConfig smallRoberta(int vocabSize, int padTokenId, int maxLength) {
        return new EncoderConfig("roberta", vocabSize, 128, 2, 4, 512, maxLength + padTokenId + 1, 1, 1e-5f,
                padTokenId, "gelu", 0.02f, DEFAULT_DROPOUT, DEFAULT_DROPOUT);
    }

    /** The same architecture with other dropout probabilities. */
    public EncoderConfig withDropout(float hidden, float attention) {
        return new EncoderConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, maxPositionEmbeddings, typeVocabSize, layerNormEps, padTokenId, hiddenAct,
                initializerRange, hidden, attention);
    }

    public boolean isRoberta() {
        return modelType.equals("roberta");
    }

    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /** Longest input the position embeddings cover (RoBERTa reserves the first padTokenId + 1 rows). */
    public int maxSequenceLength() {
        return isRoberta() ? maxPositionEmbeddings - padTokenId - 1 : maxPositionEmbeddings;
    }

    public static EncoderConfig read(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException(directory + " has no " + FILE_NAME + "; a Hugging Face model directory needs one");
        }
        JsonNode node = ModelJson.MAPPER.readTree(file.toFile());
        try {
            return new EncoderConfig(
                    node.path("model_type").asText("bert"),
                    required(node, "vocab_size"),
                    required(node, "hidden_size"),
                    required(node, "num_hidden_layers"),
                    required(node, "num_attention_heads"),
                    required(node, "intermediate_size"),
                    required(node, "max_position_embeddings"),
                    node.path("type_vocab_size").asInt(2),
                    (float) node.path("layer_norm_eps").asDouble(1e-12),
                    node.path("pad_token_id").asInt(0),
                    node.path("hidden_act").asText("gelu"),
                    (float) node.path("initializer_range").asDouble(0.02),
                    (float) node.path("hidden_dropout_prob").asDouble(DEFAULT_DROPOUT),
                    (float) node.path("attention_probs_dropout_prob").asDouble(DEFAULT_DROPOUT));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path directory) throws IOException {
        ObjectNode node = ModelJson.MAPPER.createObjectNode();
        node.putArray("architectures").add(isRoberta() ? "RobertaModel" : "BertModel");
        node.put("model_type", modelType)
                .put("vocab_size", vocabSize)
                .put("hidden_size", hiddenSize)
                .put("num_hidden_layers", numHiddenLayers)
                .put("num_attention_heads", numAttentionHeads)
                .put("intermediate_size", intermediateSize)
                .put("hidden_act", hiddenAct)
                .put("max_position_embeddings", maxPositionEmbeddings)
                .put("type_vocab_size", typeVocabSize)
                .put("layer_norm_eps", layerNormEps)
                .put("pad_token_id", padTokenId)
                .put("initializer_range", initializerRange)
                .put("hidden_dropout_prob", hiddenDropoutProb)
                .put("attention_probs_dropout_prob", attentionProbsDropoutProb);
        Files.createDirectories(directory);
        ModelJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(FILE_NAME).toFile(), node);
    }

    private static int required(JsonNode node, String field) {
        if (!node.path(field).canConvertToInt()) {
            throw new IllegalArgumentException("missing or non-integer field '" + field + "'");
        }
        return node.path(field).asInt();
    }
}
