package dev.paper2code.model.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's sanity checks on the loss alone. */
class InfoNceLossTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(7);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void unrelatedEmbeddingsGiveAboutLnBatch() {
        int batch = 8;
        // High-dimensional random vectors are nearly orthogonal, so every logit is about 0 and the
        // cross-entropy is about ln(batch); temperature 1 keeps the residual noise small.
        NDList predictions = new NDList(manager.randomNormal(new Shape(batch, 4096)),
                manager.randomNormal(new Shape(batch, 4096)));
        float loss = new InfoNceLoss(1f, false).evaluate(new NDList(), predictions).getFloat();
        assertEquals(Math.log(batch), loss, 0.05);
    }

    @Test
    void matchingEmbeddingsGiveALossNearZero() {
        NDArray same = manager.randomNormal(new Shape(8, 512));
        float loss = new InfoNceLoss(0.07f, false).evaluate(new NDList(), new NDList(same, same.duplicate()))
                .getFloat();
        assertTrue(loss < 1e-3, "loss " + loss);
    }

    @Test
    void theLossIsInvariantToEmbeddingScaleBecauseItUsesCosineSimilarity() {
        NDArray papers = manager.randomNormal(new Shape(4, 16));
        NDArray codes = manager.randomNormal(new Shape(4, 16));
        InfoNceLoss loss = new InfoNceLoss(0.07f, false);
        float plain = loss.evaluate(new NDList(), new NDList(papers, codes)).getFloat();
        float scaled = loss.evaluate(new NDList(), new NDList(papers.mul(10), codes.mul(0.1f))).getFloat();
        assertEquals(plain, scaled, 1e-4);
    }

    @Test
    void theSymmetricLossAveragesBothDirections() {
        NDArray papers = manager.randomNormal(new Shape(4, 16));
        NDArray codes = manager.randomNormal(new Shape(4, 16));
        float paperToCode = new InfoNceLoss(0.07f, false).evaluate(new NDList(), new NDList(papers, codes)).getFloat();
        float codeToPaper = new InfoNceLoss(0.07f, false).evaluate(new NDList(), new NDList(codes, papers)).getFloat();
        float symmetric = new InfoNceLoss(0.07f, true).evaluate(new NDList(), new NDList(papers, codes)).getFloat();
        assertTrue(Math.abs(paperToCode - codeToPaper) > 1e-3, "the directions differ on random data");
        assertEquals((paperToCode + codeToPaper) / 2, symmetric, 1e-5);
    }

    @Test
    void aLearnedLogitScaleActsAsOneOverTemperatureAndIsClampedAtOneHundred() {
        NDArray papers = manager.randomNormal(new Shape(4, 16));
        NDArray codes = manager.randomNormal(new Shape(4, 16));
        InfoNceLoss loss = new InfoNceLoss(0.07f, false);
        float fixed = loss.evaluate(new NDList(), new NDList(papers, codes)).getFloat();
        float learned = loss.evaluate(new NDList(),
                new NDList(papers, codes, manager.create(new float[] {(float) Math.log(1 / 0.07)}))).getFloat();
        assertEquals(fixed, learned, 1e-4);

        float atClamp = new InfoNceLoss(0.01f, false).evaluate(new NDList(), new NDList(papers, codes)).getFloat();
        float beyond = loss.evaluate(new NDList(), new NDList(papers, codes, manager.create(new float[] {20f})))
                .getFloat();
        assertEquals(atClamp, beyond, 1e-3);
    }

    /** Extra code rows (hard negatives) join every paper's denominator; code-to-paper covers the matching codes. */
    @Test
    void extraCodeRowsAreNegativesOfEveryPaper() {
        int papers = 3;
        int extra = 2;
        float t = 0.5f;
        float[][] p = random(papers, 6, 1);
        float[][] c = random(papers + extra, 6, 2);
        NDList predictions = new NDList(manager.create(p), manager.create(c));
        float oneWay = new InfoNceLoss(t, false).evaluate(new NDList(), predictions).getFloat();
        float both = new InfoNceLoss(t, true).evaluate(new NDList(), predictions).getFloat();
        double[][] logits = new double[papers][papers + extra];
        for (int i = 0; i < papers; i++) {
            for (int j = 0; j < papers + extra; j++) {
                logits[i][j] = cosine(p[i], c[j]) / t;
            }
        }
        double paperToCode = 0;
        double codeToPaper = 0;
        for (int i = 0; i < papers; i++) {
            double rowSum = 0;
            double columnSum = 0;
            for (int j = 0; j < papers + extra; j++) {
                rowSum += Math.exp(logits[i][j]);
            }
            for (int j = 0; j < papers; j++) {
                columnSum += Math.exp(logits[j][i]);
            }
            paperToCode += Math.log(rowSum) - logits[i][i];
            codeToPaper += Math.log(columnSum) - logits[i][i];
        }
        assertEquals(paperToCode / papers, oneWay, 1e-5);
        assertEquals((paperToCode + codeToPaper) / (2 * papers), both, 1e-5);
        float withoutExtra = new InfoNceLoss(t, false).evaluate(new NDList(),
                new NDList(manager.create(p), manager.create(java.util.Arrays.copyOf(c, papers)))).getFloat();
        assertTrue(oneWay > withoutExtra, "more negatives, larger loss: " + oneWay + " vs " + withoutExtra);
    }

    private static float[][] random(int rows, int width, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[][] values = new float[rows][width];
        for (float[] row : values) {
            for (int i = 0; i < width; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return values;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
