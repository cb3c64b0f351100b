package dev.paper2code.model.contrastive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.paper2code.model.optim.AdamW;
import dev.paper2code.model.optim.FlatParameters;
import dev.paper2code.model.optim.GradientClipping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains a {@link ContrastiveModel}: its {@link InfoNceLoss} (configured by the model's options), dropout
 * and caching ({@link TrainingOptions}), global-norm gradient clipping and the {@link AdamW} state, which
 * it saves and restores next to the model's files so that a resumed run continues exactly. Closing it
 * frees the optimizer's moments, not the model.
 */
public final class ContrastiveTrainer implements AutoCloseable {
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";

    private final ContrastiveModel model;
    private final TrainingOptions options;
    private final InfoNceLoss loss;
    private final AdamW optimizer;

    /** A deterministic trainer: no dropout, no caching. */
    public ContrastiveTrainer(ContrastiveModel model) {
        this(model, TrainingOptions.deterministic());
    }

    public ContrastiveTrainer(ContrastiveModel model, TrainingOptions options) {
        this.model = model;
        this.options = options;
        this.loss = new InfoNceLoss(model.options().temperature(), model.options().symmetric());
        this.optimizer = new AdamW(model.manager(), model.options().weightDecay());
    }

    /**
     * One optimizer step on a batch of matching (paper i, code i) pairs: InfoNCE forward and backward
     * (cached when the options say so), global-norm clipping, AdamW update. The loss and the norm are read
     * back once, after the update has been issued. Code rows past the papers' count are extra negatives
     * of every paper (hard negatives, see {@link InfoNceLoss}).
     */
    public TrainStep step(TokenBatch papers, TokenBatch code, float learningRate, float maxGradientNorm) {
        if (code.size() < papers.size()) {
            throw new IllegalArgumentException(papers.size() + " papers but only " + code.size() + " code rows");
        }
        ContrastiveModel.withoutAutograd();
        FlatParameters parameters = model.parameters();
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray batchLoss = lossAndGradient(scope, papers, code);
            NDArray gradient = parameters.gradient(scope);
            NDArray norm = GradientClipping.clipGlobalNorm(gradient, maxGradientNorm);
            optimizer.update(parameters, gradient, learningRate);
            parameters.zeroGradient();
            return new TrainStep(batchLoss.getFloat(), norm.getFloat());
        }
    }

    /** The gradient a step would apply (before clipping), without applying it; for tests and benchmarks. */
    float[] gradient(TokenBatch papers, TokenBatch code) {
        ContrastiveModel.withoutAutograd();
        FlatParameters parameters = model.parameters();
        try (NDManager scope = model.manager().newSubManager()) {
            lossAndGradient(scope, papers, code);
            float[] gradient = parameters.gradient(scope).toFloatArray();
            parameters.zeroGradient();
            return gradient;
        }
    }

    /** Accumulates the batch's gradient into the flat vector's and returns the loss (an array of {@code scope}). */
    private NDArray lossAndGradient(NDManager scope, TokenBatch papers, TokenBatch code) {
        if (options.caches(code.size())) {
            return cachedLossAndGradient(scope, papers, code);
        }
        FlatParameters parameters = model.parameters();
        seedDropout(0);
        try (GradientCollector collector = model.manager().getEngine().newGradientCollector()) {
            NDList predictions = model.forward(scope, parameters.trackedViews(scope), papers, code, true, options.dropout());
            NDArray batchLoss = loss.evaluate(new NDList(), predictions);
            collector.backward(batchLoss);
            return batchLoss;
        }
    }

    /**
     * GradCache: (1) embed each mini-batch without a graph; (2) InfoNCE over the whole batch on those
     * embeddings as leaves, whose backward gives d loss / d embedding (and the logit scale's gradient);
     * (3) re-encode each mini-batch with a graph and back-propagate {@code sum(embedding * cached
     * gradient)}, whose gradient with respect to the parameters is exactly that mini-batch's share. Each
     * mini-batch lives in a scope of its own, so memory follows the mini-batch. Dropout is seeded per
     * mini-batch, so (3) replays the masks of (1), as sentence-transformers' RandContext does.
     */
    private NDArray cachedLossAndGradient(NDManager scope, TokenBatch papers, TokenBatch code) {
        FlatParameters parameters = model.parameters();
        int paperRows = papers.size();
        int size = code.size(); // at least paperRows: code rows past the papers' are extra negatives
        int miniBatch = options.miniBatchSize();
        NDList paperChunks = new NDList();
        NDList codeChunks = new NDList();
        for (int from = 0, chunk = 0; from < size; from += miniBatch, chunk++) {
            int to = Math.min(size, from + miniBatch);
            seedDropout(chunk);
            try (NDManager chunkScope = scope.newSubManager()) {
                NDList embeddings = forwardChunk(chunkScope, model.parameterStore(), papers, code, from, to);
                for (int side = 0; side < embeddings.size(); side++) {
                    embeddings.get(side).attach(scope);
                }
                if (from < paperRows) {
                    paperChunks.add(embeddings.get(0));
                }
                codeChunks.add(embeddings.get(embeddings.size() - 1));
            }
        }
        NDArray paperEmbeddings = NDArrays.concat(paperChunks);
        NDArray codeEmbeddings = NDArrays.concat(codeChunks);
        paperEmbeddings.setRequiresGradient(true);
        codeEmbeddings.setRequiresGradient(true);
        NDArray batchLoss;
        try (GradientCollector collector = model.manager().getEngine().newGradientCollector()) {
            NDList predictions = new NDList(paperEmbeddings, codeEmbeddings);
            if (model.block().learnsTemperature()) {
                ParameterStore tracked = parameters.trackedViews(scope);
                predictions.add(tracked.getValue(model.block().logitScale(), paperEmbeddings.getDevice(), true));
            }
            batchLoss = loss.evaluate(new NDList(), predictions);
            collector.backward(batchLoss);
        }
        NDArray paperGradient = paperEmbeddings.getGradient();
        NDArray codeGradient = codeEmbeddings.getGradient();
        paperGradient.attach(scope);
        codeGradient.attach(scope);
        for (int from = 0, chunk = 0; from < size; from += miniBatch, chunk++) {
            int to = Math.min(size, from + miniBatch);
            seedDropout(chunk);
            try (NDManager chunkScope = scope.newSubManager();
                 GradientCollector collector = model.manager().getEngine().newGradientCollector()) {
                NDList embeddings = forwardChunk(chunkScope, parameters.trackedViews(chunkScope), papers, code, from, to);
                NDArray cachedCode = codeGradient.get(new NDIndex("{}:{}", from, to));
                cachedCode.attach(chunkScope);
                NDArray surrogate = embeddings.get(embeddings.size() - 1).mul(cachedCode).sum();
                if (from < paperRows) {
                    NDArray cachedPaper = paperGradient.get(new NDIndex("{}:{}", from, Math.min(to, paperRows)));
                    cachedPaper.attach(chunkScope);
                    surrogate = embeddings.get(0).mul(cachedPaper).sum().add(surrogate);
                }
                collector.backward(surrogate);
            }
        }
        return batchLoss;
    }

    /**
     * Rows {@code [from, to)} of the step's inputs through the encoders: papers and code while paper
     * rows remain (papers first), code alone for the extra negatives past them.
     */
    private NDList forwardChunk(NDManager scope, ParameterStore store, TokenBatch papers, TokenBatch code, int from,
            int to) {
        if (from >= papers.size()) {
            return new NDList(model.forwardCode(scope, store, code.rows(from, to), true, options.dropout()));
        }
        NDList both = model.forward(scope, store, papers.rows(from, Math.min(to, papers.size())),
                code.rows(from, to), true, options.dropout());
        return new NDList(both.get(0), both.get(1));
    }

    /**
     * Seeds the engine's generator for mini-batch {@code chunk} of the step being computed, from (seed,
     * step, chunk): the same masks on resume and when a mini-batch is re-encoded. Nothing to seed when
     * dropout is off (no random draws).
     */
    private void seedDropout(int chunk) {
        if (options.dropout().isOff()) {
            return;
        }
        JniUtils.setSeed(dropoutSeed(chunk));
    }

    /** The generator seed of mini-batch {@code chunk} of the next step. */
    long dropoutSeed(int chunk) {
        return mix(mix(mix(options.seed()) + optimizer.step() + 1) + chunk) & Long.MAX_VALUE;
    }

    /** SplitMix64's finalizer: nearby inputs give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Loss and embeddings of a batch of matching pairs, without gradients. */
    public record Evaluation(float loss, float[][] paperEmbeddings, float[][] codeEmbeddings) {
    }

    /** The loss and both sides' embeddings from one forward pass (no dropout), as validation needs them. */
    public Evaluation evaluate(TokenBatch papers, TokenBatch code) {
        ContrastiveModel.withoutAutograd();
        try (NDManager scope = model.manager().newSubManager()) {
            NDList predictions = model.forward(scope, papers, code);
            return new Evaluation(loss.evaluate(new NDList(), predictions).getFloat(),
                    ContrastiveModel.rows(predictions.get(0)), ContrastiveModel.rows(predictions.get(1)));
        }
    }

    public void saveOptimizer(Path directory) throws IOException {
        Files.createDirectories(directory);
        optimizer.save(directory.resolve(OPTIMIZER_FILE), model.parameters());
    }

    /** Restores the optimizer state saved in {@code directory}; false (fresh moments) when there is none. */
    public boolean loadOptimizer(Path directory) throws IOException {
        Path state = directory.resolve(OPTIMIZER_FILE);
        if (!Files.isRegularFile(state)) {
            return false;
        }
        optimizer.load(state, model.parameters());
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
