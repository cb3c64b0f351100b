package dev.paper2code.model.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON mapping of the model's own files (config.json, contrastive.json, safetensors headers). The
 * model library stands alone, without the Kafka contracts: Hugging Face files are its only format.
 */
public final class ModelJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ModelJson() {
    }
}
