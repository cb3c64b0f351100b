package dev.paper2code.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalPipelineArgsTest {

    @Test
    void theFlagsOfThePythonTrainingScriptAndAnyOtherSettingReachTheTrainer() {
        LocalRunOptions options = LocalPipelineArgs.parse(new String[] {"--batch-size", "16", "--num-epochs", "5",
                "--learning-rate=3e-5", "--temperature", "0.05", "--checkpoint-dir", "ckpt", "--resume-from", "ckpt/run-a/checkpoint_epoch_1",
                "--setting", "dropout=0", "--setting", "mini_batch_size=4"});
        assertEquals(5, options.epochs());
        assertEquals("3e-5", options.learningRate());
        assertEquals(Path.of("ckpt").toAbsolutePath(), options.checkpoints());
        assertEquals(Map.of("batch_size", "16", "temperature", "0.05", "dropout", "0", "mini_batch_size", "4",
                "resume_from", Path.of("ckpt/run-a/checkpoint_epoch_1").toAbsolutePath().toString()), options.runSettings());
        LocalRunOptions defaults = LocalPipelineArgs.parse(new String[0]);
        // Issue 24: the default fine-tunes the pretrained encoder with the trainer's own settings.
        assertEquals(null, defaults.epochs());
        assertEquals(null, defaults.learningRate());
        assertEquals(null, defaults.modelDir());
        assertTrue(!defaults.scratch());
        LocalRunOptions scratch = LocalPipelineArgs.parse(new String[] {"--scratch", "--max-length", "128"});
        assertTrue(scratch.scratch());
        assertEquals(128, scratch.maxLength());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LocalPipelineArgs.parse(new String[] {"--scratch", "--model-dir", "m"})).getMessage()
                .contains("--scratch and --model-dir exclude each other"));
        assertEquals(defaults.workDir().resolve("checkpoints"), defaults.checkpoints());
        assertEquals(8, LocalPipelineArgs.parse(new String[] {"--epochs", "8"}).epochs(), "the old name still works");
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndErrorsNameTheOption() {
        String help = LocalPipelineArgs.usage();
        for (String option : List.of("--input", "--work-dir", "--kafka-port", "--fresh", "--num-epochs", "--learning-rate",
                "--batch-size", "--temperature", "--checkpoint-dir", "--resume-from", "--model-dir", "--setting",
                "--keep-running", "--follow")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        assertTrue(help.contains("--scratch") && help.contains("5e-4 with --scratch") && help.contains("all-MiniLM-L6-v2"), help);
        assertTrue(help.contains("Default: 19092"), help);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalPipelineArgs.parse(new String[] {"--epoch", "3"}))
                .getMessage().matches("(?s)Unknown options?: '--epoch'.*"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalPipelineArgs.parse(new String[] {"--batch-size", "many"}))
                .getMessage().contains("Invalid value for option '--batch-size': 'many' is not an int"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LocalPipelineArgs.parse(new String[] {"--setting", "num_epochs=3"})).getMessage()
                .contains("use --num-epochs"));
    }
}
