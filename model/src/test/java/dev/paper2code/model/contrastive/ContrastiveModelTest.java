package dev.paper2code.model.contrastive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.paper2code.model.TinyRoberta;
import dev.paper2code.model.checkpoint.Tensor;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.model.encoder.TransformerEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContrastiveModelTest {
    private static final float LEARNING_RATE = 1e-3f;

    @TempDir
    Path tempDir;

    @Test
    void gradientsReachBothEncoders() throws IOException {
        try (ContrastiveModel model = ContrastiveModel.fromPretrained(TinyRoberta.DIRECTORY,
                ContrastiveOptions.seedDefaults(), Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            Map<String, Tensor> paperBefore = model.block().paperEncoder().weights();
            Map<String, Tensor> codeBefore = model.block().codeEncoder().weights();
            trainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f);
            assertAllChanged(paperBefore, model.block().paperEncoder());
            assertAllChanged(codeBefore, model.block().codeEncoder());
            assertNotEquals(model.block().paperEncoder().weights().get("encoder.layer.0.output.dense.weight").data()[0],
                    model.block().codeEncoder().weights().get("encoder.layer.0.output.dense.weight").data()[0],
                    "the two encoders are separate models that received different gradients");
        }
    }

    @Test
    void oneEvaluationGivesTheLossAndTheEmbeddingsOfSeparateCalls() throws IOException {
        try (ContrastiveModel model = ContrastiveModel.fromPretrained(TinyRoberta.DIRECTORY,
                ContrastiveOptions.seedDefaults(), Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            trainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f);
            ContrastiveTrainer.Evaluation evaluation = trainer.evaluate(TinyRoberta.papers(), TinyRoberta.code());
            assertEquals(trainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss(), evaluation.loss(), 1e-6);
            float[][] papers = model.embedPapers(TinyRoberta.papers());
            float[][] codes = model.embedCode(TinyRoberta.code());
            for (int i = 0; i < papers.length; i++) {
                assertArrayEquals(papers[i], evaluation.paperEmbeddings()[i], 1e-6f);
                assertArrayEquals(codes[i], evaluation.codeEmbeddings()[i], 1e-6f);
            }
        }
    }

    @Test
    void trainsOnAThreadOtherThanTheOneThatLoadedTheEngine() throws Exception {
        try (ContrastiveModel model = ContrastiveModel.fromPretrained(TinyRoberta.DIRECTORY,
                ContrastiveOptions.seedDefaults(), Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            float[] loss = new float[1];
            Throwable[] failure = new Throwable[1];
            Thread worker = new Thread(() -> {
                try {
                    loss[0] = trainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f).loss();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            worker.start();
            worker.join();
            assertEquals(null, failure[0]);
            assertEquals(TinyRoberta.GOLDEN.path("training").path("loss_before_each_step").get(0).asDouble(), loss[0], 1e-4);
        }
    }

    @Test
    void savingWithTheOptimizerAndResumingContinuesExactly() throws IOException {
        float[] uninterrupted = new float[3];
        try (ContrastiveModel model = ContrastiveModel.fromPretrained(TinyRoberta.DIRECTORY,
                ContrastiveOptions.seedDefaults(), Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            for (int step = 0; step < 3; step++) {
                uninterrupted[step] = trainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f).loss();
            }
        }

        Path saved = tempDir.resolve("after-two-steps");
        try (ContrastiveModel model = ContrastiveModel.fromPretrained(TinyRoberta.DIRECTORY,
                ContrastiveOptions.seedDefaults(), Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            trainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f);
            trainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f);
            model.save(saved);
            trainer.saveOptimizer(saved);
        }
        assertTrue(Files.isRegularFile(saved.resolve("paper_encoder/model.safetensors")));
        assertTrue(Files.isRegularFile(saved.resolve("code_encoder/config.json")));
        try (ContrastiveModel resumed = ContrastiveModel.load(saved, Device.cpu());
             ContrastiveTrainer resumedTrainer = new ContrastiveTrainer(resumed)) {
            resumedTrainer.loadOptimizer(saved);
            assertEquals(2, resumedTrainer.optimizerStep());
            float third = resumedTrainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f).loss();
            assertEquals(uninterrupted[2], third, 1e-6);
        }
    }

    @Test
    void resumingWithoutOptimizerStateIsNotTheSame() throws IOException {
        Path saved = tempDir.resolve("weights-only");
        float continued;
        try (ContrastiveModel model = ContrastiveModel.fromPretrained(TinyRoberta.DIRECTORY,
                ContrastiveOptions.seedDefaults(), Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            trainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f);
            model.save(saved);
            trainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f);
            continued = trainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss();
        }
        try (ContrastiveModel restarted = ContrastiveModel.load(saved, Device.cpu());
             ContrastiveTrainer restartedTrainer = new ContrastiveTrainer(restarted)) {
            restartedTrainer.loadOptimizer(saved);
            assertEquals(0, restartedTrainer.optimizerStep());
            restartedTrainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f);
            assertNotEquals(continued, restartedTrainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss(), 1e-5,
                    "fresh Adam moments take a different step: the state file is what makes resume exact");
        }
    }

    @Test
    void aSharedEncoderWithLearnableTemperatureAndSymmetricLossTrainsAndRoundTrips() throws IOException {
        ContrastiveOptions options = new ContrastiveOptions(0.07f, true, true, true, 0.01f);
        Path saved = tempDir.resolve("shared");
        float lossAfter;
        float temperatureAfter;
        try (ContrastiveModel model = ContrastiveModel.fromPretrained(TinyRoberta.DIRECTORY, options, Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            assertEquals(0.07f, model.temperature(), 1e-6);
            float before = trainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss();
            for (int step = 0; step < 5; step++) {
                trainer.step(TinyRoberta.papers(), TinyRoberta.code(), LEARNING_RATE, 1f);
            }
            lossAfter = trainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss();
            temperatureAfter = model.temperature();
            assertTrue(lossAfter < before, before + " -> " + lossAfter);
            assertNotEquals(0.07f, temperatureAfter, 1e-5, "the temperature is learned");
            assertArrayEquals(model.embedPapers(TinyRoberta.papers())[0], model.embedCode(TinyRoberta.papers())[0],
                    "one encoder embeds both sides");
            model.save(saved);
            trainer.saveOptimizer(saved);
        }
        assertTrue(Files.isDirectory(saved.resolve("shared_encoder")));
        try (ContrastiveModel loaded = ContrastiveModel.load(saved, Device.cpu());
             ContrastiveTrainer loadedTrainer = new ContrastiveTrainer(loaded)) {
            loadedTrainer.loadOptimizer(saved);
            assertEquals(temperatureAfter, loaded.temperature(), 1e-6);
            assertEquals(lossAfter, loadedTrainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss(), 1e-6);
        }
    }

    @Test
    void aModelTrainedFromScratchLearnsToMatchPairs() {
        EncoderConfig config = EncoderConfig.smallRoberta(120, 1, 16);
        try (ContrastiveModel model = ContrastiveModel.fromScratch(config, 11, ContrastiveOptions.seedDefaults(),
                Device.cpu());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            float before = trainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss();
            for (int step = 0; step < 20; step++) {
                trainer.step(TinyRoberta.papers(), TinyRoberta.code(), 1e-3f, 1f);
            }
            float after = trainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss();
            assertTrue(after < before / 4, before + " -> " + after);
        }
    }

    private static void assertAllChanged(Map<String, Tensor> before, TransformerEncoder encoder) {
        Map<String, Tensor> after = encoder.weights();
        before.forEach((name, tensor) -> {
            float[] old = tensor.data();
            float[] now = after.get(name).data();
            boolean changed = false;
            for (int i = 0; i < old.length && !changed; i++) {
                changed = old[i] != now[i];
            }
            assertTrue(changed, name + " received no update");
        });
    }
}
