package dev.paper2code.trainer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** The body of {@code POST /runs}: a JSON object of snake_case settings to override, {@code {}} for the defaults. */
final class RunRequest {
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    private RunRequest() {
    }

    /** @throws IllegalArgumentException naming what is wrong with the body (mapped to 400) */
    static Map<String, Object> settingsOverrides(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("the body must be a JSON object of settings to override, "
                    + "e.g. {\"num_epochs\": 5}; {} runs the defaults");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object of settings, not " + node.getNodeType());
        }
        return Json.MAPPER.convertValue(node, OBJECT);
    }
}
