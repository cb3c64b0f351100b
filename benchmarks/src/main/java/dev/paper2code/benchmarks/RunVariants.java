package dev.paper2code.benchmarks;

import dev.paper2code.training.settings.RunSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The quality benchmark's variants argument: run settings to train with besides the defaults. */
final class RunVariants {
    private RunVariants() {
    }

    /** {@code 3,shared_encoder=true+temperature=0.05}: each variant's label and its run settings; none or 0 for none. */
    static Map<String, Map<String, Object>> parse(String spec) {
        Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
        for (String variant : spec.split(",")) {
            if (variant.isBlank() || variant.equals("none") || variant.equals("0")) {
                continue;
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            if (variant.matches("\\d+")) {
                settings.put("hard_negatives", Integer.parseInt(variant));
            } else {
                for (String setting : variant.split("\\+")) {
                    String[] kv = setting.split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("a variant is N (hard_negatives) or key=value+key=value: " + variant);
                    }
                    settings.put(kv[0], kv[1]);
                }
            }
            RunSettings.defaults().with(settings); // a misspelt or invalid setting fails here, before any training
            variants.put(settings.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")), settings);
        }
        return variants;
    }
}
