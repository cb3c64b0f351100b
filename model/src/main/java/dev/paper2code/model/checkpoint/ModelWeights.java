package dev.paper2code.model.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Hugging Face model directory, with the task-head prefix ({@code roberta.},
 * {@code bert.}) removed so that names match the bare encoder's. {@code model.safetensors} is preferred
 * over {@code pytorch_model.bin}, as the Hugging Face loaders do.
 */
public final class ModelWeights {
    public static final String SAFETENSORS = "model.safetensors";
    public static final String PYTORCH_BIN = "pytorch_model.bin";
    private static final List<String> PREFIXES = List.of("roberta.", "bert.");

    private ModelWeights() {
    }

    public static Map<String, Tensor> read(Path directory) throws IOException {
        Path safetensors = directory.resolve(SAFETENSORS);
        if (Files.isRegularFile(safetensors)) {
            return withoutPrefix(Safetensors.read(safetensors));
        }
        Path bin = directory.resolve(PYTORCH_BIN);
        if (Files.isRegularFile(bin)) {
            return withoutPrefix(TorchPickleReader.read(bin));
        }
        throw new IOException(directory + " has neither " + SAFETENSORS + " nor " + PYTORCH_BIN);
    }

    static Map<String, Tensor> withoutPrefix(Map<String, Tensor> tensors) {
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        for (Tensor tensor : tensors.values()) {
            String name = tensor.name();
            for (String prefix : PREFIXES) {
                if (name.startsWith(prefix)) {
                    name = name.substring(prefix.length());
                    break;
                }
            }
            renamed.put(name, new Tensor(name, tensor.shape(), tensor.data()));
        }
        return renamed;
    }
}
