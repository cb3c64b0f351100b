package dev.paper2code.training.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.model.contrastive.TrainingOptions;
import dev.paper2code.model.encoder.DropoutRates;
import dev.paper2code.model.encoder.EncoderConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSettingsTest {
    private static final RunSettings DEFAULTS = RunSettings.defaults().with(Map.of("train_topic", "train", "val_topic", "val"));

    @Test
    void overridesUseTheSnakeCaseNamesOfTheSeed() {
        RunSettings settings = DEFAULTS.with(Map.of("batch_size", 16, "num_epochs", 5, "learning_rate", 3e-5,
                "temperature", 0.05, "checkpoint_dir", "/ckpt", "resume_from", "/ckpt/checkpoint_epoch_1"));
        assertEquals(16, settings.batchSize());
        assertEquals(5, settings.numEpochs());
        assertEquals(3e-5f, settings.learningRate());
        assertEquals(0.05f, settings.temperature());
        assertEquals("/ckpt", settings.checkpointDir());
        assertEquals("/ckpt/checkpoint_epoch_1", settings.resumeFrom());
        assertEquals(DEFAULTS.seed(), settings.seed(), "what is not overridden keeps its default");
    }

    @Test
    void unknownAndInvalidSettingsAreClearErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.with(Map.of("epochs", 2)));
        assertTrue(unknown.getMessage().contains("unknown setting 'epochs'"), unknown.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.with(Map.of("best_metric", "accuracy")));
        assertTrue(invalid.getMessage().contains("best_metric must be one of"), invalid.getMessage());
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.with(Map.of("num_epochs", "many")));
        assertTrue(wrongType.getMessage().contains("many"), wrongType.getMessage());
        // Issue 20.10: a fraction for a whole-number setting was read as its integer part.
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.with(Map.of("num_epochs", 1.5)));
        assertTrue(fraction.getMessage().contains("1.5"), fraction.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DEFAULTS.with(Map.of("batch_size", 16.5)));
        assertEquals(5, DEFAULTS.with(Map.of("num_epochs", 5)).numEpochs());
        assertEquals(5, DEFAULTS.with(Map.of("num_epochs", "5")).numEpochs(), "configuration values are strings");
    }

    @Test
    void dropoutIsTheModelsConfigAProbabilityOrOffAndTheMiniBatchTurnsCachingOn() {
        EncoderConfig model = EncoderConfig.smallRoberta(100, 1, 16).withDropout(0.1f, 0.2f);
        assertEquals(new DropoutRates(0.1f, 0.2f), DEFAULTS.trainingOptions(model).dropout(), "config by default");
        assertEquals(new DropoutRates(0.3f, 0.3f),
                DEFAULTS.with(Map.of("dropout", "0.3")).trainingOptions(model).dropout());
        assertTrue(DEFAULTS.with(Map.of("dropout", "0")).trainingOptions(model).dropout().isOff());
        TrainingOptions cached = DEFAULTS.with(Map.of("batch_size", 256, "mini_batch_size", 16, "seed", 7))
                .trainingOptions(model);
        assertEquals(16, cached.miniBatchSize());
        assertEquals(7L, cached.seed());
        assertTrue(cached.caches(256));
        assertEquals(0, DEFAULTS.miniBatchSize(), "off by default");
        for (String bad : new String[] {"1", "-0.1", "half"}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> DEFAULTS.with(Map.of("dropout", bad)));
            assertTrue(error.getMessage().contains("dropout must be 'config' or a probability in [0, 1)"), error.getMessage());
        }
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.with(Map.of("mini_batch_size", -1)));
        assertTrue(negative.getMessage().contains("mini_batch_size must be 0 (off) or positive"), negative.getMessage());
    }
}
