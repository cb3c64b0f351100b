package dev.paper2code.model.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.paper2code.model.checkpoint.Safetensors;
import dev.paper2code.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as {@code torch.optim.AdamW}: decoupled weight decay ({@code p -= lr * wd * p}) applied to every
 * parameter before the bias-corrected Adam step. Its moments can be saved and restored, which DJL's
 * optimizers cannot, so a resumed run continues exactly.
 */
public final class AdamW implements AutoCloseable {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new HashMap<>();
    private final Map<String, NDArray> secondMoments = new HashMap<>();
    private long step;

    public AdamW(NDManager parent, float weightDecay) {
        this(parent, 0.9f, 0.999f, 1e-8f, weightDecay);
    }

    public AdamW(NDManager parent, float beta1, float beta2, float epsilon, float weightDecay) {
        this.manager = parent.newSubManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    public long step() {
        return step;
    }

    /** Applies one update to every parameter from its gradient, then zeroes the gradient. */
    public void update(Map<String, Parameter> parameters, float learningRate) {
        step++;
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        float stepSize = (float) (learningRate / biasCorrection1);
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray weight = entry.getValue().getArray();
            NDArray gradient = weight.getGradient();
            NDArray m = firstMoments.computeIfAbsent(entry.getKey(), k -> zerosLike(weight));
            NDArray v = secondMoments.computeIfAbsent(entry.getKey(), k -> zerosLike(weight));
            try (NDManager scope = manager.newSubManager()) {
                // getGradient() wraps the gradient in a new handle; attaching it (and every temporary)
                // to the scope frees them after the update instead of growing the parameters' manager.
                gradient.attach(scope);
                m.muli(beta1).addi(gradient.mul(1 - beta1));
                v.muli(beta2).addi(gradient.square().muli(1 - beta2));
                NDArray denominator = scoped(v.sqrt(), scope).divi((float) biasCorrection2Sqrt).addi(epsilon);
                NDArray update = scoped(m.div(denominator), scope).muli(stepSize);
                weight.muli(1 - learningRate * weightDecay);
                weight.subi(update);
                gradient.muli(0f);
            }
        }
    }

    private static NDArray scoped(NDArray temporary, NDManager scope) {
        temporary.attach(scope);
        return temporary;
    }

    private NDArray zerosLike(NDArray weight) {
        return manager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
    }

    /** Writes step count and moments to a safetensors file (F32), keyed {@code m.<parameter>} and {@code v.<parameter>}. */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        firstMoments.forEach((name, m) -> tensors.put("m." + name, tensor("m." + name, m)));
        secondMoments.forEach((name, v) -> tensors.put("v." + name, tensor("v." + name, v)));
        Safetensors.write(file, tensors, Map.of("step", Long.toString(step), "beta1", Float.toString(beta1),
                "beta2", Float.toString(beta2), "eps", Float.toString(epsilon),
                "weight_decay", Float.toString(weightDecay)));
    }

    /** Restores a saved state; the parameters must be those it was saved for (same names and shapes). */
    public void load(Path file, Map<String, Parameter> parameters) throws IOException {
        Map<String, Tensor> tensors = Safetensors.read(file);
        long savedStep = Long.parseLong(Safetensors.metadata(file).getOrDefault("step", "0"));
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            Tensor m = tensors.get("m." + entry.getKey());
            Tensor v = tensors.get("v." + entry.getKey());
            if (savedStep > 0 && (m == null || v == null)) {
                throw new IOException(file + " has no optimizer state for " + entry.getKey());
            }
            if (m != null && v != null) {
                NDArray weight = entry.getValue().getArray();
                firstMoments.put(entry.getKey(), restore(m, weight));
                secondMoments.put(entry.getKey(), restore(v, weight));
            }
        }
        step = savedStep;
    }

    private NDArray restore(Tensor tensor, NDArray like) throws IOException {
        if (!java.util.Arrays.equals(tensor.shape(), like.getShape().getShape())) {
            throw new IOException("optimizer state " + tensor.name() + " has shape " + tensor.shapeText()
                    + " but the parameter has " + like.getShape());
        }
        NDArray array = zerosLike(like);
        array.set(tensor.data());
        return array;
    }

    private static Tensor tensor(String name, NDArray array) {
        return new Tensor(name, array.getShape().getShape(), array.toFloatArray());
    }

    @Override
    public void close() {
        manager.close();
    }
}
