package dev.paper2code.model.contrastive;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.model.checkpoint.ModelWeights;
import dev.paper2code.model.checkpoint.Safetensors;
import dev.paper2code.model.checkpoint.Tensor;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.model.encoder.EncoderInitialization;
import dev.paper2code.model.encoder.TransformerEncoder;
import dev.paper2code.model.optim.AdamW;
import dev.paper2code.model.optim.GradientClipping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The trainable paper/code retrieval model: the {@link DualEncoder}, its {@link InfoNceLoss} and its
 * {@link AdamW} state, owned by one {@link NDManager}. Every step works in a sub-manager that is closed
 * when the step ends, so device memory stays flat across steps.
 *
 * <p>Saved layout (each encoder directory is a Hugging Face model directory that
 * {@code AutoModel.from_pretrained} can open):
 * <pre>
 *   contrastive.json          options and the learned logit scale
 *   paper_encoder/            config.json + model.safetensors   (shared_encoder/ when shared)
 *   code_encoder/             config.json + model.safetensors
 *   optimizer.safetensors     AdamW step and moments (when saved with the optimizer)
 * </pre>
 */
public final class ContrastiveModel implements AutoCloseable {
    public static final String OPTIONS_FILE = "contrastive.json";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";

    private final NDManager manager;
    private final DualEncoder block;
    private final InfoNceLoss loss;
    private final AdamW optimizer;
    private final ContrastiveOptions options;
    private final ParameterStore parameterStore;

    private ContrastiveModel(EncoderConfig config, ContrastiveOptions options, Device device) {
        this.options = options;
        this.manager = NDManager.newBaseManager(device);
        this.block = new DualEncoder(config, options.sharedEncoder(),
                options.learnableTemperature() ? options.temperature() : null);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), new Shape(1, 1));
        this.loss = new InfoNceLoss(options.temperature(), options.symmetric());
        this.optimizer = new AdamW(manager, options.weightDecay());
        this.parameterStore = new ParameterStore(manager, false);
    }

    /** Both encoders start from one Hugging Face model directory (safetensors or pytorch_model.bin). */
    public static ContrastiveModel fromPretrained(Path modelDirectory, ContrastiveOptions options, Device device)
            throws IOException {
        EncoderConfig config = EncoderConfig.read(modelDirectory);
        Map<String, Tensor> weights = ModelWeights.read(modelDirectory);
        ContrastiveModel model = new ContrastiveModel(config, options, device);
        try {
            model.block.paperEncoder().loadWeights(weights, modelDirectory.toString());
            model.block.codeEncoder().loadWeights(weights, modelDirectory.toString());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** Both encoders start from the same seeded random weights. */
    public static ContrastiveModel fromScratch(EncoderConfig config, long seed, ContrastiveOptions options, Device device) {
        ContrastiveModel model = new ContrastiveModel(config, options, device);
        Map<String, Tensor> weights = EncoderInitialization.random(config, seed);
        model.block.paperEncoder().loadWeights(weights, "random initialization");
        model.block.codeEncoder().loadWeights(weights, "random initialization");
        return model;
    }

    /** Opens a directory written by {@link #save}, with the optimizer state when it was saved. */
    public static ContrastiveModel load(Path directory, Device device) throws IOException {
        var node = Json.MAPPER.readTree(directory.resolve(OPTIONS_FILE).toFile());
        ContrastiveOptions options = Json.MAPPER.treeToValue(node.path("options"), ContrastiveOptions.class);
        Path first = directory.resolve(options.sharedEncoder() ? "shared_encoder" : "paper_encoder");
        ContrastiveModel model = new ContrastiveModel(EncoderConfig.read(first), options, device);
        try {
            model.block.paperEncoder().loadWeights(ModelWeights.read(first), first.toString());
            if (!options.sharedEncoder()) {
                Path code = directory.resolve("code_encoder");
                model.block.codeEncoder().loadWeights(ModelWeights.read(code), code.toString());
            }
            if (options.learnableTemperature()) {
                model.block.logitScale().getArray().set(new float[] {(float) node.path("logit_scale").asDouble()});
            }
            Path optimizerState = directory.resolve(OPTIMIZER_FILE);
            if (Files.isRegularFile(optimizerState)) {
                model.optimizer.load(optimizerState, model.block.namedParameters());
            }
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    public void save(Path directory, boolean withOptimizer) throws IOException {
        Files.createDirectories(directory);
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.set("options", Json.MAPPER.valueToTree(options));
        if (block.learnsTemperature()) {
            node.put("logit_scale", block.logitScale().getArray().getFloat(0));
        }
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(OPTIONS_FILE).toFile(), node);
        if (block.sharesEncoder()) {
            saveEncoder(block.paperEncoder(), directory.resolve("shared_encoder"));
        } else {
            saveEncoder(block.paperEncoder(), directory.resolve("paper_encoder"));
            saveEncoder(block.codeEncoder(), directory.resolve("code_encoder"));
        }
        if (withOptimizer) {
            optimizer.save(directory.resolve(OPTIMIZER_FILE));
        }
    }

    private static void saveEncoder(TransformerEncoder encoder, Path directory) throws IOException {
        encoder.config().write(directory);
        Safetensors.write(directory.resolve(ModelWeights.SAFETENSORS), encoder.weights(), Map.of("format", "pt"));
    }

    /**
     * One optimizer step on a batch of matching (paper i, code i) pairs: InfoNCE forward and backward,
     * global-norm clipping, AdamW update.
     */
    public TrainStep trainStep(TokenBatch papers, TokenBatch code, float learningRate, float maxGradientNorm) {
        withoutAutograd();
        Map<String, Parameter> parameters = block.namedParameters();
        try (NDManager scope = manager.newSubManager()) {
            float lossValue;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray batchLoss = loss.evaluate(new NDList(), forward(scope, papers, code, true));
                collector.backward(batchLoss);
                lossValue = batchLoss.getFloat();
            }
            float norm = GradientClipping.clipGlobalNorm(parameters.values(), maxGradientNorm);
            optimizer.update(parameters, learningRate);
            return new TrainStep(lossValue, norm);
        }
    }

    /** The InfoNCE loss of a batch, without gradients. */
    public float loss(TokenBatch papers, TokenBatch code) {
        withoutAutograd();
        try (NDManager scope = manager.newSubManager()) {
            return loss.evaluate(new NDList(), forward(scope, papers, code, false)).getFloat();
        }
    }

    /** Loss and embeddings of a batch of matching pairs, without gradients. */
    public record Evaluation(float loss, float[][] paperEmbeddings, float[][] codeEmbeddings) {
    }

    /** The loss and both sides' embeddings from one forward pass, as validation needs them. */
    public Evaluation evaluate(TokenBatch papers, TokenBatch code) {
        withoutAutograd();
        try (NDManager scope = manager.newSubManager()) {
            NDList predictions = forward(scope, papers, code, false);
            return new Evaluation(loss.evaluate(new NDList(), predictions).getFloat(), rows(predictions.get(0)),
                    rows(predictions.get(1)));
        }
    }

    /**
     * PyTorch's autograd switch is per thread and on by default; DJL turns it off only on the thread that
     * loaded the engine and turns it on inside a GradientCollector. A run on any other thread would
     * otherwise record graphs for inference and fail on the optimizer's in-place updates.
     */
    private static void withoutAutograd() {
        JniUtils.setGradMode(false);
    }

    private NDList forward(NDManager scope, TokenBatch papers, TokenBatch code, boolean training) {
        NDList inputs = new NDList(papers.idsArray(scope), papers.maskArray(scope), code.idsArray(scope),
                code.maskArray(scope));
        return block.forward(parameterStore, inputs, training);
    }

    public float[][] embedPapers(TokenBatch papers) {
        return embed(block.paperEncoder(), papers);
    }

    public float[][] embedCode(TokenBatch code) {
        return embed(block.codeEncoder(), code);
    }

    /** Last hidden states {@code [size][length][hidden]} of the paper encoder; for checks against references. */
    public float[][][] paperHiddenStates(TokenBatch papers) {
        withoutAutograd();
        try (NDManager scope = manager.newSubManager()) {
            NDArray hidden = encode(block.paperEncoder(), scope, papers).get(0);
            int hiddenSize = (int) hidden.getShape().get(2);
            float[] flat = hidden.toFloatArray();
            float[][][] result = new float[papers.size()][papers.length()][hiddenSize];
            for (int b = 0; b < papers.size(); b++) {
                for (int t = 0; t < papers.length(); t++) {
                    System.arraycopy(flat, (b * papers.length() + t) * hiddenSize, result[b][t], 0, hiddenSize);
                }
            }
            return result;
        }
    }

    private float[][] embed(TransformerEncoder encoder, TokenBatch batch) {
        withoutAutograd();
        try (NDManager scope = manager.newSubManager()) {
            return rows(encode(encoder, scope, batch).get(1));
        }
    }

    /** A {@code [rows, width]} array as Java rows. */
    private static float[][] rows(NDArray matrix) {
        int width = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        float[][] result = new float[(int) matrix.getShape().get(0)][width];
        for (int row = 0; row < result.length; row++) {
            System.arraycopy(flat, row * width, result[row], 0, width);
        }
        return result;
    }

    private NDList encode(TransformerEncoder encoder, NDManager scope, TokenBatch batch) {
        return encoder.forward(parameterStore, new NDList(batch.idsArray(scope), batch.maskArray(scope)), false);
    }

    public ContrastiveOptions options() {
        return options;
    }

    public EncoderConfig encoderConfig() {
        return block.paperEncoder().config();
    }

    public DualEncoder block() {
        return block;
    }

    public long optimizerStep() {
        return optimizer.step();
    }

    /** Arrays the model's manager tree holds: parameters, gradients, optimizer moments and any leak. */
    public int liveArrayCount() {
        return manager.getManagedArrays().size();
    }

    public Device device() {
        return manager.getDevice();
    }

    /** Current temperature: fixed, or exp(-logit scale) when learned. */
    public float temperature() {
        if (!block.learnsTemperature()) {
            return options.temperature();
        }
        return (float) Math.exp(-Math.min(block.logitScale().getArray().getFloat(0), InfoNceLoss.MAX_LOGIT_SCALE));
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}
