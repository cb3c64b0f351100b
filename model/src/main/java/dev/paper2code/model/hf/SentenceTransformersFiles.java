package dev.paper2code.model.hf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paper2code.model.io.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files with which {@code SentenceTransformer(directory)} rebuilds the embedding pipeline (mean pooling,
 * and normalization when asked) instead of guessing CLS or mean pooling from a bare Hugging Face model.
 */
public final class SentenceTransformersFiles {
    private SentenceTransformersFiles() {
    }

    public static void write(Path directory, int hiddenSize, int maxSeqLength, SentenceTransformersOptions options)
            throws IOException {
        ArrayNode modules = ModelJson.MAPPER.createArrayNode();
        module(modules, "", "sentence_transformers.models.Transformer");
        module(modules, "1_Pooling", "sentence_transformers.models.Pooling");
        if (options.normalize()) {
            module(modules, "2_Normalize", "sentence_transformers.models.Normalize");
            Files.createDirectories(directory.resolve("2_Normalize")); // the module has no files, only its folder
        }
        TokenizerFiles.writeJson(directory.resolve("modules.json"), modules);
        // do_lower_case false: lower-casing is the tokenizer's job (its normalizer), not sentence-transformers'.
        TokenizerFiles.writeJson(directory.resolve("sentence_bert_config.json"), ModelJson.MAPPER.createObjectNode()
                .put("max_seq_length", maxSeqLength).put("do_lower_case", false));
        ObjectNode pooling = ModelJson.MAPPER.createObjectNode()
                .put("word_embedding_dimension", hiddenSize)
                .put("pooling_mode_cls_token", false)
                .put("pooling_mode_mean_tokens", true)
                .put("pooling_mode_max_tokens", false)
                .put("pooling_mode_mean_sqrt_len_tokens", false)
                .put("pooling_mode_weightedmean_tokens", false)
                .put("pooling_mode_lasttoken", false)
                .put("include_prompt", true);
        TokenizerFiles.writeJson(directory.resolve("1_Pooling").resolve("config.json"), pooling);
    }

    private static void module(ArrayNode modules, String path, String type) {
        int index = modules.size();
        modules.addObject().put("idx", index).put("name", Integer.toString(index)).put("path", path).put("type", type);
    }
}
