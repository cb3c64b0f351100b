package dev.paper2code.model.encoder;

import dev.paper2code.model.checkpoint.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Fresh weights for training from scratch, drawn as Hugging Face's {@code _init_weights} does
 * (normal(0, initializer_range) for matrices and embeddings, zero padding rows and biases, unit
 * LayerNorm scales) but in Java from a seed, so the same seed gives the same model on every engine
 * and device, which resume and reproducibility tests rely on.
 */
public final class EncoderInitialization {
    private EncoderInitialization() {
    }

    public static Map<String, Tensor> random(EncoderConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        TransformerEncoder layout = new TransformerEncoder(config);
        layout.parameterShapes().forEach((name, parameterShape) -> {
            long[] shape = parameterShape.getShape();
            float[] data = new float[(int) parameterShape.size()];
            if (name.endsWith("LayerNorm.weight")) {
                Arrays.fill(data, 1f);
            } else if (name.endsWith(".weight")) {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (random.nextGaussian() * config.initializerRange());
                }
                boolean paddedEmbedding = name.equals("embeddings.word_embeddings.weight")
                        || (config.isRoberta() && name.equals("embeddings.position_embeddings.weight"));
                if (paddedEmbedding) {
                    int width = (int) shape[1];
                    Arrays.fill(data, config.padTokenId() * width, (config.padTokenId() + 1) * width, 0f);
                }
            }
            weights.put(name, new Tensor(name, shape, data));
        });
        return weights;
    }
}
