package dev.paper2code.model.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paper2code.model.checkpoint.Safetensors;
import dev.paper2code.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as {@code torch.optim.AdamW}: decoupled weight decay ({@code p -= lr * wd * p}) applied to every
 * parameter before the bias-corrected Adam step. It works on the whole {@link FlatParameters} vector at
 * once, so a step is the same dozen native calls whatever the number of parameter tensors, with at most
 * one temporary of the vector's size alive at a time. Its moments can be saved and restored (per
 * parameter name, as before the vector existed), which DJL's optimizers cannot, so a resumed run
 * continues exactly.
 */
public final class AdamW implements AutoCloseable {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    /** Elements updated together in a large model (16 MiB per vector): a block's passes stay in the cache. */
    private static final long BLOCK = 1L << 22;
    private final NDManager manager;
    private NDArray firstMoment;
    private NDArray secondMoment;
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

    /**
     * Applies one update to the vector from {@code gradient} (the vector's gradient, already clipped).
     * Autograd must be off.
     */
    public void update(FlatParameters parameters, NDArray gradient, float learningRate) {
        step++;
        NDArray weights = parameters.values();
        if (firstMoment == null) {
            firstMoment = zeros(parameters.size(), weights);
            secondMoment = zeros(parameters.size(), weights);
        }
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        float biasCorrection2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float stepSize = (float) (learningRate / biasCorrection1);
        float decay = 1 - learningRate * weightDecay;
        long size = parameters.size();
        if (size <= BLOCK) {
            update(weights, gradient, firstMoment, secondMoment, decay, biasCorrection2Sqrt, stepSize);
            return;
        }
        // A large model is updated block by block: each of the update's passes then reads data the previous
        // pass left in the cache, instead of streaming four vectors of the model's size from memory a dozen
        // times (two CodeBERT-sized encoders: 2.4 s per update unblocked, 1.0 s in blocks, on a 2-core CPU).
        // Still a fixed number of calls per block, however many parameter tensors the model has.
        for (long start = 0; start < size; start += BLOCK) {
            NDIndex block = new NDIndex("{}:{}", start, Math.min(size, start + BLOCK));
            try (NDArray w = weights.get(block); NDArray g = gradient.get(block);
                 NDArray m = firstMoment.get(block); NDArray v = secondMoment.get(block)) {
                update(w, g, m, v, decay, biasCorrection2Sqrt, stepSize);
            }
        }
    }

    /** torch.optim.AdamW's arithmetic on (views of) the vectors, in place; at most two temporaries alive at once. */
    private void update(NDArray weights, NDArray gradient, NDArray m, NDArray v, float decay, float biasCorrection2Sqrt,
                        float stepSize) {
        weights.muli(decay);
        try (NDArray scaled = gradient.mul(1 - beta1)) {
            m.muli(beta1).addi(scaled);
        }
        try (NDArray squares = gradient.square()) {
            v.muli(beta2).addi(squares.muli(1 - beta2));
        }
        // update = m / (sqrt(v) / sqrt(bc2) + eps) * lr / bc1
        NDArray update;
        try (NDArray denominator = v.sqrt()) {
            denominator.divi(biasCorrection2Sqrt).addi(epsilon);
            update = m.div(denominator);
        }
        try (update) {
            weights.subi(update.muli(stepSize));
        }
    }

    private NDArray zeros(long size, NDArray like) {
        return manager.zeros(new Shape(size), DataType.FLOAT32, like.getDevice());
    }

    /** Writes step count and moments to a safetensors file (F32), keyed {@code m.<parameter>} and {@code v.<parameter>}. */
    public void save(Path file, FlatParameters parameters) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        if (firstMoment != null) {
            float[] m = firstMoment.toFloatArray();
            float[] v = secondMoment.toFloatArray();
            for (String name : parameters.names()) {
                long[] shape = parameters.shape(name).getShape();
                tensors.put("m." + name, new Tensor("m." + name, shape, parameters.slice(m, name)));
                tensors.put("v." + name, new Tensor("v." + name, shape, parameters.slice(v, name)));
            }
        }
        Safetensors.write(file, tensors, Map.of("step", Long.toString(step), "beta1", Float.toString(beta1),
                "beta2", Float.toString(beta2), "eps", Float.toString(epsilon),
                "weight_decay", Float.toString(weightDecay)));
    }

    /** Restores a saved state; the parameters must be those it was saved for (same names and shapes). */
    public void load(Path file, FlatParameters parameters) throws IOException {
        Map<String, Tensor> tensors = Safetensors.read(file);
        long savedStep = Long.parseLong(Safetensors.metadata(file).getOrDefault("step", "0"));
        if (parameters.size() > Integer.MAX_VALUE) {
            throw new IOException("optimizer state of " + parameters.size() + " values does not fit one Java array");
        }
        float[] m = new float[(int) parameters.size()];
        float[] v = new float[m.length];
        boolean any = false;
        for (String name : parameters.names()) {
            Tensor first = tensors.get("m." + name);
            Tensor second = tensors.get("v." + name);
            if (savedStep > 0 && (first == null || second == null)) {
                throw new IOException(file + " has no optimizer state for " + name);
            }
            if (first != null && second != null) {
                long[] expected = parameters.shape(name).getShape();
                for (Tensor tensor : new Tensor[] {first, second}) {
                    if (!Arrays.equals(tensor.shape(), expected)) {
                        throw new IOException("optimizer state " + tensor.name() + " has shape " + tensor.shapeText()
                                + " but the parameter has " + parameters.shape(name));
                    }
                }
                int offset = (int) parameters.offset(name);
                System.arraycopy(first.data(), 0, m, offset, first.data().length);
                System.arraycopy(second.data(), 0, v, offset, second.data().length);
                any = true;
            }
        }
        if (any) {
            closeMoments();
            NDArray weights = parameters.values();
            firstMoment = manager.create(m).toDevice(weights.getDevice(), false);
            secondMoment = manager.create(v).toDevice(weights.getDevice(), false);
            firstMoment.attach(manager);
            secondMoment.attach(manager);
        }
        step = savedStep;
    }

    private void closeMoments() {
        if (firstMoment != null) {
            firstMoment.close();
            secondMoment.close();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
