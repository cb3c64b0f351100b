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
}
