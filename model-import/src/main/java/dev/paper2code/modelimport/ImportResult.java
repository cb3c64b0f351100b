package dev.paper2code.modelimport;

import dev.paper2code.model.encoder.EncoderConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * What an import wrote.
 *
 * @param directory   the Hugging Face model directory
 * @param source      where the ONNX model came from (a path or a resource name)
 * @param producer    the exporter that wrote it, as the file says (e.g. "pytorch 2.0.1")
 * @param config      the architecture read from the graph, as written to config.json
 * @param tensorNames the names in model.safetensors, in file order
 * @param files       the files written, relative to {@code directory}
 * @param notes       where each number that initializers do not carry came from, and any default used
 */
public record ImportResult(Path directory, String source, String producer, EncoderConfig config,
                           List<String> tensorNames, List<String> files, List<String> notes) {
}
