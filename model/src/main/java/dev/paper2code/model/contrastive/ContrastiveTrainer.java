package dev.paper2code.model.contrastive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.paper2code.model.optim.AdamW;
import dev.paper2code.model.optim.GradientClipping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Trains a {@link ContrastiveModel}: its {@link InfoNceLoss} (configured by the model's options),
 * global-norm gradient clipping and the {@link AdamW} state, which it saves and restores next to the
 * model's files so that a resumed run continues exactly. Closing it frees the optimizer's moments, not
 * the model.
 */
public final class ContrastiveTrainer implements AutoCloseable {
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";

    private final ContrastiveModel model;
    private final InfoNceLoss loss;
    private final AdamW optimizer;

    public ContrastiveTrainer(ContrastiveModel model) {
        this.model = model;
        this.loss = new InfoNceLoss(model.options().temperature(), model.options().symmetric());
        this.optimizer = new AdamW(model.manager(), model.options().weightDecay());
    }

    /**
     * One optimizer step on a batch of matching (paper i, code i) pairs: InfoNCE forward and backward,
     * global-norm clipping, AdamW update.
     */
    public TrainStep step(TokenBatch papers, TokenBatch code, float learningRate, float maxGradientNorm) {
        ContrastiveModel.withoutAutograd();
        Map<String, Parameter> parameters = model.block().namedParameters();
        try (NDManager scope = model.manager().newSubManager()) {
            float lossValue;
            try (GradientCollector collector = model.manager().getEngine().newGradientCollector()) {
                NDArray batchLoss = loss.evaluate(new NDList(), model.forward(scope, papers, code, true));
                collector.backward(batchLoss);
                lossValue = batchLoss.getFloat();
            }
            float norm = GradientClipping.clipGlobalNorm(parameters.values(), maxGradientNorm);
            optimizer.update(parameters, learningRate);
            return new TrainStep(lossValue, norm);
        }
    }

    /** Loss and embeddings of a batch of matching pairs, without gradients. */
    public record Evaluation(float loss, float[][] paperEmbeddings, float[][] codeEmbeddings) {
    }

    /** The loss and both sides' embeddings from one forward pass, as validation needs them. */
    public Evaluation evaluate(TokenBatch papers, TokenBatch code) {
        ContrastiveModel.withoutAutograd();
        try (NDManager scope = model.manager().newSubManager()) {
            NDList predictions = model.forward(scope, papers, code, false);
            return new Evaluation(loss.evaluate(new NDList(), predictions).getFloat(),
                    ContrastiveModel.rows(predictions.get(0)), ContrastiveModel.rows(predictions.get(1)));
        }
    }

    public void saveOptimizer(Path directory) throws IOException {
        Files.createDirectories(directory);
        optimizer.save(directory.resolve(OPTIMIZER_FILE));
    }

    /** Restores the optimizer state saved in {@code directory}; false (fresh moments) when there is none. */
    public boolean loadOptimizer(Path directory) throws IOException {
        Path state = directory.resolve(OPTIMIZER_FILE);
        if (!Files.isRegularFile(state)) {
            return false;
        }
        optimizer.load(state, model.block().namedParameters());
        return true;
    }

    public long optimizerStep() {
        return optimizer.step();
    }

    public ContrastiveModel model() {
        return model;
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
