package dev.paper2code.model.contrastive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.paper2code.model.TinyRoberta;
import dev.paper2code.model.encoder.DropoutRates;
import dev.paper2code.model.encoder.EncoderConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropout as Hugging Face trains: on in training only, and reproducible from (seed, step). */
class DropoutTest {
    private static final float LEARNING_RATE = 1e-3f;
    private static final DropoutRates TENTH = new DropoutRates(0.1f, 0.1f);
    private static final TokenBatch PAPERS = RandomBatches.of(6, 12, 3);
    private static final TokenBatch CODE = RandomBatches.of(6, 9, 4);

    @TempDir
    Path tempDir;

    private static ContrastiveModel tinyRoberta() throws IOException {
        return ContrastiveModel.fromPretrained(TinyRoberta.DIRECTORY, ContrastiveOptions.seedDefaults(), Device.cpu());
    }

    @Test
    void theRatesComeFromConfigJsonAndRoundTrip() throws IOException {
        EncoderConfig config = EncoderConfig.read(TinyRoberta.DIRECTORY);
        assertEquals(new DropoutRates(0.1f, 0.1f), DropoutRates.of(config));
        config.withDropout(0.2f, 0.05f).write(tempDir);
        assertEquals(new DropoutRates(0.2f, 0.05f), DropoutRates.of(EncoderConfig.read(tempDir)));
    }

    @Test
    void evaluationAndEmbeddingNeverDrop() throws IOException {
        try (ContrastiveModel model = tinyRoberta();
             ContrastiveTrainer plain = new ContrastiveTrainer(model);
             ContrastiveTrainer dropping = new ContrastiveTrainer(model, new TrainingOptions(new DropoutRates(0.5f, 0.5f), 0, 1))) {
            ContrastiveTrainer.Evaluation expected = plain.evaluate(PAPERS, CODE);
            ContrastiveTrainer.Evaluation actual = dropping.evaluate(PAPERS, CODE);
            assertEquals(expected.loss(), actual.loss());
            assertArrayEquals(expected.paperEmbeddings()[0], actual.paperEmbeddings()[0]);
            assertArrayEquals(model.embedPapers(PAPERS)[3], model.embedPapers(PAPERS)[3]);
        }
    }

    @Test
    void trainingDropsAndTheSameSeedDropsTheSameUnits() throws IOException {
        float[] first = losses(new TrainingOptions(TENTH, 0, 42));
        float[] again = losses(new TrainingOptions(TENTH, 0, 42));
        float[] otherSeed = losses(new TrainingOptions(TENTH, 0, 43));
        float[] withoutDropout = losses(TrainingOptions.deterministic());
        assertArrayEquals(first, again, "same seed, same masks, same losses");
        assertNotEquals(first[0], otherSeed[0], "another seed draws other masks");
        assertNotEquals(first[0], withoutDropout[0], "dropout is on in training");
        assertNotEquals(first[1], first[2], "each step draws new masks");
    }

    private static float[] losses(TrainingOptions options) throws IOException {
        float[] losses = new float[3];
        try (ContrastiveModel model = tinyRoberta(); ContrastiveTrainer trainer = new ContrastiveTrainer(model, options)) {
            for (int step = 0; step < losses.length; step++) {
                losses[step] = trainer.step(PAPERS, CODE, LEARNING_RATE, 1f).loss();
            }
        }
        return losses;
    }

    @Test
    void aRunResumedFromACheckpointDropsWhatTheUninterruptedRunDrops() throws IOException {
        TrainingOptions options = new TrainingOptions(TENTH, 4, 42);
        float[] uninterrupted = new float[3];
        try (ContrastiveModel model = tinyRoberta(); ContrastiveTrainer trainer = new ContrastiveTrainer(model, options)) {
            for (int step = 0; step < 3; step++) {
                uninterrupted[step] = trainer.step(PAPERS, CODE, LEARNING_RATE, 1f).loss();
            }
        }
        Path saved = tempDir.resolve("after-two-steps");
        try (ContrastiveModel model = tinyRoberta(); ContrastiveTrainer trainer = new ContrastiveTrainer(model, options)) {
            trainer.step(PAPERS, CODE, LEARNING_RATE, 1f);
            trainer.step(PAPERS, CODE, LEARNING_RATE, 1f);
            model.save(saved);
            trainer.saveOptimizer(saved);
        }
        try (ContrastiveModel resumed = ContrastiveModel.load(saved, Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(resumed, options)) {
            assertTrue(trainer.loadOptimizer(saved));
            assertEquals(uninterrupted[2], trainer.step(PAPERS, CODE, LEARNING_RATE, 1f).loss());
        }
    }
}
