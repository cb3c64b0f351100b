package dev.paper2code.trainer.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    }
}
