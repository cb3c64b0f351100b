package dev.paper2code.model.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.model.TinyRoberta;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DJL encoder, loss and optimizer against values computed by PyTorch with Hugging Face semantics
 * for the same checkpoint, read once from safetensors and once from pytorch_model.bin.
 */
class GoldenReferenceTest {
    private static final JsonNode GOLDEN = TinyRoberta.GOLDEN;

    @TempDir
    Path tempDir;

    private ContrastiveModel open(String format) throws IOException {
        Path directory = format.equals("safetensors") ? TinyRoberta.DIRECTORY : TinyRoberta.pytorchBinOnly(tempDir);
        return ContrastiveModel.fromPretrained(directory, ContrastiveOptions.seedDefaults(), Device.cpu());
    }

    @ParameterizedTest
    @ValueSource(strings = {"safetensors", "pytorch_model.bin"})
    void hiddenStatesAndPooledEmbeddingsMatchHuggingFace(String format) throws IOException {
        float tolerance = TinyRoberta.tolerance("hidden_state_abs");
        try (ContrastiveModel model = open(format);
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            float[][][] hidden = HiddenStates.ofPapers(model, TinyRoberta.papers());
            JsonNode expectedHidden = GOLDEN.path("paper_last_hidden_state");
            for (int b = 0; b < hidden.length; b++) {
                for (int t = 0; t < hidden[b].length; t++) {
                    assertClose(expectedHidden.get(b).get(t), hidden[b][t], tolerance, "hidden[" + b + "][" + t + "]");
                }
            }
            assertRowsClose(GOLDEN.path("paper_mean_pooled"), model.embedPapers(TinyRoberta.papers()), tolerance);
            assertRowsClose(GOLDEN.path("code_mean_pooled"), model.embedCode(TinyRoberta.code()), tolerance);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"safetensors", "pytorch_model.bin"})
    void infoNceLossMatchesPyTorch(String format) throws IOException {
        try (ContrastiveModel model = open(format);
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            assertEquals(GOLDEN.path("infonce_loss_t0.07_before_training").asDouble(),
                    trainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss(), TinyRoberta.tolerance("loss_abs"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"safetensors", "pytorch_model.bin"})
    void threeAdamWStepsWithGlobalClippingMatchPyTorch(String format) throws IOException {
        JsonNode training = GOLDEN.path("training");
        float tolerance = TinyRoberta.tolerance("loss_abs");
        float learningRate = (float) training.path("learning_rate").asDouble();
        try (ContrastiveModel model = open(format);
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            for (int step = 0; step < training.path("steps").asInt(); step++) {
                TrainStep result = trainer.step(TinyRoberta.papers(), TinyRoberta.code(), learningRate, 1.0f);
                assertEquals(training.path("loss_before_each_step").get(step).asDouble(), result.loss(), tolerance,
                        "loss before step " + step);
                assertEquals(training.path("grad_norm_before_clipping").get(step).asDouble(), result.gradientNorm(),
                        tolerance, "gradient norm before clipping, step " + step);
            }
            assertEquals(training.path("loss_after_last_step").asDouble(),
                    trainer.evaluate(TinyRoberta.papers(), TinyRoberta.code()).loss(), tolerance);
        }
    }

    /**
     * DJL's scalar operators (x.mul(0.5f), x.div(t), ...) wrap the scalar in a tensor over a Java direct
     * buffer and close it right away, while autograd keeps that tensor for the backward pass: once the
     * garbage collector frees the buffer, gradients read freed memory. The model must not depend on
     * when the collector runs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"safetensors"})
    void trainingStepsDoNotDependOnWhenTheGarbageCollectorRuns(String format) throws Exception {
        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        collector.setDaemon(true);
        collector.start();
        try {
            for (int round = 0; round < 5; round++) {
                threeAdamWStepsWithGlobalClippingMatchPyTorch(format);
            }
        } finally {
            collector.interrupt();
            collector.join();
        }
    }

    private static void assertRowsClose(JsonNode expected, float[][] actual, float tolerance) {
        assertEquals(expected.size(), actual.length);
        for (int i = 0; i < actual.length; i++) {
            assertClose(expected.get(i), actual[i], tolerance, "row " + i);
        }
    }

    private static void assertClose(JsonNode expected, float[] actual, float tolerance, String where) {
        assertEquals(expected.size(), actual.length, where);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected.get(i).asDouble(), actual[i], tolerance, where + "[" + i + "]");
        }
    }
}
