package dev.paper2code.model.contrastive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.model.io.ModelJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files {@link ContrastiveModel#save} writes, named once: {@code contrastive.json} (the options,
 * and the logit scale when learned) and one Hugging Face directory per encoder, {@code paper_encoder}
 * and {@code code_encoder}, or {@code shared_encoder} alone.
 */
public final class SavedModelLayout {
    public static final String OPTIONS_FILE = "contrastive.json";
    static final String PAPER_ENCODER = "paper_encoder";
    static final String CODE_ENCODER = "code_encoder";
    static final String SHARED_ENCODER = "shared_encoder";

    private SavedModelLayout() {
    }

    static ContrastiveOptions options(JsonNode saved) throws IOException {
        return ModelJson.MAPPER.treeToValue(saved.path("options"), ContrastiveOptions.class);
    }

    private static ContrastiveOptions options(Path directory) throws IOException {
        return options(ModelJson.MAPPER.readTree(directory.resolve(OPTIONS_FILE).toFile()));
    }

    /** Where the paper encoder is: {@code shared_encoder/} when one encoder serves both sides. */
    static Path paperEncoder(Path directory, ContrastiveOptions options) {
        return directory.resolve(options.sharedEncoder() ? SHARED_ENCODER : PAPER_ENCODER);
    }

    /** The encoder configuration of a saved model, without loading any weights. */
    public static EncoderConfig encoderConfig(Path directory) throws IOException {
        return EncoderConfig.read(paperEncoder(directory, options(directory)));
    }

    /** The encoder directories under {@code directory}, each a Hugging Face model directory. */
    public static List<Path> encoderDirectories(Path directory) throws IOException {
        return options(directory).sharedEncoder() ? List.of(directory.resolve(SHARED_ENCODER))
                : List.of(directory.resolve(PAPER_ENCODER), directory.resolve(CODE_ENCODER));
    }
}
