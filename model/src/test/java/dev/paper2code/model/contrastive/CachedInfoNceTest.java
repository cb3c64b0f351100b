package dev.paper2code.model.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.paper2code.model.TinyRoberta;
import dev.paper2code.model.encoder.DropoutRates;
import dev.paper2code.model.optim.FlatParameters;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cached (GradCache) step computes the gradient of the whole batch's InfoNCE while holding one
 * mini-batch's graph at a time: its gradient must be the uncached step's.
 */
class CachedInfoNceTest {
    private static final int BATCH = 8;
    private static final TokenBatch PAPERS = RandomBatches.of(BATCH, 12, 1);
    private static final TokenBatch CODE = RandomBatches.of(BATCH, 9, 2);

    private static ContrastiveModel model(boolean symmetricSharedLearnable) throws IOException {
        ContrastiveOptions options = symmetricSharedLearnable
                ? new ContrastiveOptions(0.07f, true, true, true, 0.01f)
                : ContrastiveOptions.seedDefaults();
        return ContrastiveModel.fromPretrained(TinyRoberta.DIRECTORY, options, Device.cpu());
    }

    @ParameterizedTest(name = "mini-batch {0}, shared encoder + symmetric + learned temperature: {1}")
    @CsvSource({"1, false", "3, false", "5, false", "3, true"})
    void withoutDropoutTheCachedGradientIsTheWholeBatchGradient(int miniBatch, boolean variant) throws IOException {
        float[] whole;
        float[] cached;
        try (ContrastiveModel model = model(variant);
             ContrastiveTrainer plain = new ContrastiveTrainer(model);
             ContrastiveTrainer caching = new ContrastiveTrainer(model, new TrainingOptions(DropoutRates.OFF, miniBatch, 7))) {
            whole = plain.gradient(PAPERS, CODE);
            cached = caching.gradient(PAPERS, CODE);
        }
        assertRelativelyClose(whole, cached, 1e-5);
    }

    /** With hard negatives the code side has more rows than the papers: mini-batches past the papers encode code alone. */
    @ParameterizedTest(name = "mini-batch {0}, shared encoder + symmetric + learned temperature: {1}")
    @CsvSource({"3, false", "8, false", "5, true"})
    void withExtraNegativesTheCachedGradientIsTheWholeBatchGradient(int miniBatch, boolean variant) throws IOException {
        TokenBatch codeAndNegatives = RandomBatches.of(BATCH + 5, 9, 3);
        float[] whole;
        float[] cached;
        float[] withoutNegatives;
        try (ContrastiveModel model = model(variant);
             ContrastiveTrainer plain = new ContrastiveTrainer(model);
             ContrastiveTrainer caching = new ContrastiveTrainer(model, new TrainingOptions(DropoutRates.OFF, miniBatch, 7))) {
            whole = plain.gradient(PAPERS, codeAndNegatives);
            cached = caching.gradient(PAPERS, codeAndNegatives);
            withoutNegatives = plain.gradient(PAPERS, codeAndNegatives.rows(0, BATCH));
        }
        assertRelativelyClose(whole, cached, 1e-5);
        assertTrue(maxAbsoluteDifference(whole, withoutNegatives) > 1e-4 * maxAbsolute(whole),
                "the extra negatives change the gradient");
    }

    @ParameterizedTest(name = "mini-batch {0}")
    @CsvSource({"3", "8"})
    void withDropoutTheReEncodingReplaysTheFirstPassMasks(int miniBatch) throws IOException {
        DropoutRates dropout = new DropoutRates(0.1f, 0.1f);
        try (ContrastiveModel model = model(false);
             ContrastiveTrainer caching = new ContrastiveTrainer(model, new TrainingOptions(dropout, miniBatch, 7))) {
            float[] cached = caching.gradient(PAPERS, CODE);
            // The reference: one graph over the whole batch, each mini-batch's rows encoded under the same
            // generator seed the cached step uses. If the cached step's second pass drew other masks than its
            // first, its gradient would belong to another function and differ from this one.
            float[] reference = wholeGraphGradient(model, caching, dropout, miniBatch);
            assertRelativelyClose(reference, cached, 1e-5);
            float[] withoutDropout;
            try (ContrastiveTrainer plain = new ContrastiveTrainer(model)) {
                withoutDropout = plain.gradient(PAPERS, CODE);
            }
            assertTrue(maxAbsoluteDifference(withoutDropout, cached) > 1e-4 * maxAbsolute(withoutDropout),
                    "dropout is on in training");
        }
    }

    private static float[] wholeGraphGradient(ContrastiveModel model, ContrastiveTrainer trainer, DropoutRates dropout,
                                              int miniBatch) {
        ContrastiveModel.withoutAutograd();
        FlatParameters parameters = model.parameters();
        InfoNceLoss loss = new InfoNceLoss(model.options().temperature(), model.options().symmetric());
        try (NDManager scope = model.manager().newSubManager();
             GradientCollector collector = model.manager().getEngine().newGradientCollector()) {
            ParameterStore tracked = parameters.trackedViews(scope);
            NDList papers = new NDList();
            NDList code = new NDList();
            for (int from = 0, chunk = 0; from < BATCH; from += miniBatch, chunk++) {
                int to = Math.min(BATCH, from + miniBatch);
                JniUtils.setSeed(trainer.dropoutSeed(chunk));
                NDList embeddings = model.forward(scope, tracked, PAPERS.rows(from, to), CODE.rows(from, to), true, dropout);
                papers.add(embeddings.get(0));
                code.add(embeddings.get(1));
            }
            NDArray batchLoss = loss.evaluate(new NDList(), new NDList(concat(papers), concat(code)));
            collector.backward(batchLoss);
            float[] gradient = parameters.gradient(scope).toFloatArray();
            parameters.zeroGradient();
            return gradient;
        }
    }

    /** DJL's concat of a single array duplicates it outside the graph. */
    private static NDArray concat(NDList arrays) {
        return arrays.size() == 1 ? arrays.head() : NDArrays.concat(arrays);
    }

    /** Every element within {@code tolerance} times the largest gradient element. */
    static void assertRelativelyClose(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        double scale = maxAbsolute(expected);
        assertTrue(scale > 0, "a gradient at all");
        double difference = maxAbsoluteDifference(expected, actual);
        assertTrue(difference <= tolerance * scale,
                "largest difference " + difference + " exceeds " + tolerance + " x " + scale);
    }

    static double maxAbsolute(float[] values) {
        double max = 0;
        for (float value : values) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }

    static double maxAbsoluteDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
