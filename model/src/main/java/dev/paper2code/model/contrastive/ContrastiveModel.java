package dev.paper2code.model.contrastive;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paper2code.model.checkpoint.ModelWeights;
import dev.paper2code.model.checkpoint.Safetensors;
import dev.paper2code.model.checkpoint.Tensor;
import dev.paper2code.model.encoder.DropoutRates;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.model.encoder.EncoderInitialization;
import dev.paper2code.model.encoder.TransformerEncoder;
import dev.paper2code.model.io.ModelJson;
import dev.paper2code.model.optim.FlatParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The paper/code retrieval model: the {@link DualEncoder} and its options, owned by one
 * {@link NDManager}; it loads, saves and embeds. Training it is {@link ContrastiveTrainer}'s job (loss,
 * optimizer, clipping), as DJL separates a Model from its Trainer. Every call works in a sub-manager
 * that is closed when the call ends, so device memory stays flat.
 *
 * <p>Saved layout (each encoder directory is a Hugging Face model directory that
 * {@code AutoModel.from_pretrained} can open):
 * <pre>
 *   contrastive.json          options and the learned logit scale
 *   paper_encoder/            config.json + model.safetensors   (shared_encoder/ when shared)
 *   code_encoder/             config.json + model.safetensors
 *   optimizer.safetensors     AdamW step and moments (written by the trainer, see ContrastiveTrainer)
 * </pre>
 */
public final class ContrastiveModel implements AutoCloseable {

    private final NDManager manager;
    private final DualEncoder block;
    private final ContrastiveOptions options;
    private final ParameterStore parameterStore;
    private final FlatParameters parameters;

    private ContrastiveModel(EncoderConfig config, ContrastiveOptions options, Device device) {
        this.options = options;
        this.manager = NDManager.newBaseManager(device); // loads the engine, before any JniUtils call
        withoutAutograd();
        this.block = new DualEncoder(config, options.sharedEncoder(),
                options.learnableTemperature() ? options.temperature() : null);
        // Every parameter is a view of one flat vector (see FlatParameters): the optimizer's cost per step
        // stays constant in the number of tensors.
        this.parameters = new FlatParameters(manager, block.namedParameters(), block.namedShapes());
        if (block.learnsTemperature()) {
            parameters.write(DualEncoder.LOGIT_SCALE, new float[] {block.initialLogitScale()});
        }
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

    /** Opens a directory written by {@link #save}; the optimizer state there is the trainer's to load. */
    public static ContrastiveModel load(Path directory, Device device) throws IOException {
        var node = ModelJson.MAPPER.readTree(directory.resolve(SavedModelLayout.OPTIONS_FILE).toFile());
        ContrastiveOptions options = SavedModelLayout.options(node);
        Path first = SavedModelLayout.paperEncoder(directory, options);
        ContrastiveModel model = new ContrastiveModel(EncoderConfig.read(first), options, device);
        try {
            model.block.paperEncoder().loadWeights(ModelWeights.read(first), first.toString());
            if (!options.sharedEncoder()) {
                Path code = directory.resolve(SavedModelLayout.CODE_ENCODER);
                model.block.codeEncoder().loadWeights(ModelWeights.read(code), code.toString());
            }
            if (options.learnableTemperature()) {
                model.parameters.write(DualEncoder.LOGIT_SCALE, new float[] {(float) node.path("logit_scale").asDouble()});
            }
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** Writes the options and both encoders (weights only). */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        ObjectNode node = ModelJson.MAPPER.createObjectNode();
        node.set("options", ModelJson.MAPPER.valueToTree(options));
        if (block.learnsTemperature()) {
            node.put("logit_scale", block.logitScale().getArray().getFloat(0));
        }
        ModelJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValue(directory.resolve(SavedModelLayout.OPTIONS_FILE).toFile(), node);
        if (block.sharesEncoder()) {
            saveEncoder(block.paperEncoder(), directory.resolve(SavedModelLayout.SHARED_ENCODER));
        } else {
            saveEncoder(block.paperEncoder(), directory.resolve(SavedModelLayout.PAPER_ENCODER));
            saveEncoder(block.codeEncoder(), directory.resolve(SavedModelLayout.CODE_ENCODER));
        }
    }

    private static void saveEncoder(TransformerEncoder encoder, Path directory) throws IOException {
        encoder.config().write(directory);
        Safetensors.write(directory.resolve(ModelWeights.SAFETENSORS), encoder.weights(), Map.of("format", "pt"));
    }

    public float[][] embedPapers(TokenBatch papers) {
        return embed(block.paperEncoder(), papers);
    }

    public float[][] embedCode(TokenBatch code) {
        return embed(block.codeEncoder(), code);
    }

    private float[][] embed(TransformerEncoder encoder, TokenBatch batch) {
        withoutAutograd();
        try (NDManager scope = manager.newSubManager()) {
            return rows(encode(encoder, scope, batch).get(1));
        }
    }

    /** Last hidden state and pooled embedding of one side, in {@code scope}. */
    NDList encode(TransformerEncoder encoder, NDManager scope, TokenBatch batch) {
        return encoder.forward(parameterStore, new NDList(batch.idsArray(scope), batch.maskArray(scope)), false);
    }

    /** Paper embeddings, code embeddings and (when learned) the logit scale of a batch of pairs, without dropout, in {@code scope}. */
    NDList forward(NDManager scope, TokenBatch papers, TokenBatch code) {
        return forward(scope, parameterStore, papers, code, false, DropoutRates.OFF);
    }

    /**
     * The same in training mode: parameters read from {@code store} (the tracked views of the flat
     * vector when autograd records, see {@link FlatParameters#trackedViews}) and dropout at {@code dropout}.
     */
    NDList forward(NDManager scope, ParameterStore store, TokenBatch papers, TokenBatch code, boolean training,
                   DropoutRates dropout) {
        NDList inputs = new NDList(papers.idsArray(scope), papers.maskArray(scope), code.idsArray(scope),
                code.maskArray(scope));
        return block.forward(store, inputs, training, dropout.asForwardParameters());
    }

    /** Code embeddings alone (extra negatives past the papers' rows), in training mode, in {@code scope}. */
    NDArray forwardCode(NDManager scope, ParameterStore store, TokenBatch code, boolean training, DropoutRates dropout) {
        return block.codeEncoder().forward(store, new NDList(code.idsArray(scope), code.maskArray(scope)), training,
                dropout.asForwardParameters()).get(1);
    }

    /** The parameters' own (untracked) store, for a training forward that records no graph. */
    ParameterStore parameterStore() {
        return parameterStore;
    }

    /** The flat vector every parameter views. */
    FlatParameters parameters() {
        return parameters;
    }

    /**
     * PyTorch's autograd switch is per thread and on by default; DJL turns it off only on the thread that
     * loaded the engine and turns it on inside a GradientCollector. A run on any other thread would
     * otherwise record graphs for inference and fail on the optimizer's in-place updates.
     */
    static void withoutAutograd() {
        JniUtils.setGradMode(false);
    }

    /** A {@code [rows, width]} array as Java rows. */
    static float[][] rows(NDArray matrix) {
        int width = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        float[][] result = new float[(int) matrix.getShape().get(0)][width];
        for (int row = 0; row < result.length; row++) {
            System.arraycopy(flat, row * width, result[row], 0, width);
        }
        return result;
    }

    DualEncoder block() {
        return block;
    }

    NDManager manager() {
        return manager;
    }

    public ContrastiveOptions options() {
        return options;
    }

    public EncoderConfig encoderConfig() {
        return block.paperEncoder().config();
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
        manager.close();
    }
}
