package dev.paper2code.launcher;

import java.nio.file.Path;

/** {@code bin/run-local}'s command line: {@code --name=value} options into {@link LocalPipeline.Options}. */
final class LocalPipelineArgs {
    static final String USAGE = """
        Usage: bin/run-local [options]
          --input=PATH          paper_code_pairs.json to feed (default data/sample/paper_code_pairs.json)
          --work-dir=PATH       broker data, tokenizer, checkpoints (default .run-local); kept between runs
          --kafka-port=N        broker port on 127.0.0.1 (default 19092; 0 picks a free one)
          --fresh               delete the work dir first, starting from empty topics
          --epochs=N            training epochs (default 8)
          --learning-rate=X     peak learning rate (default 5e-4, for a model trained from scratch)
          --model-dir=PATH      start both encoders from a Hugging Face model directory (e.g. a
                                microsoft/codebert-base snapshot, its tokenizer files included)
                                instead of training a small RoBERTa from scratch
          --keep-running        keep the broker and services up until Ctrl-C, to publish, subscribe and search
                                (the search URL is printed)
          --follow              continuous training: keep running, and every few new pairs published
                                start a warm-start run from the champion by themselves""";

    static LocalPipeline.Options parse(String[] args) {
        LocalPipeline.Options defaults = LocalPipeline.Options.defaults(Path.of("").toAbsolutePath());
        Path input = defaults.input();
        Path workDir = defaults.workDir();
        int kafkaPort = defaults.kafkaPort();
        boolean fresh = defaults.fresh();
        boolean keepRunning = defaults.keepRunning();
        int epochs = defaults.epochs();
        String learningRate = defaults.learningRate();
        Path modelDir = defaults.modelDir();
        boolean follow = defaults.follow();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            String value = kv.length > 1 ? kv[1] : null;
            switch (kv[0]) {
                case "--input" -> input = path(arg, value);
                case "--work-dir" -> workDir = path(arg, value);
                case "--kafka-port" -> kafkaPort = Integer.parseInt(require(arg, value));
                case "--fresh" -> fresh = true;
                case "--keep-running" -> keepRunning = true;
                case "--follow" -> follow = true;
                case "--epochs" -> epochs = Integer.parseInt(require(arg, value));
                case "--learning-rate" -> learningRate = require(arg, value);
                case "--model-dir" -> modelDir = path(arg, value);
                default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
            }
        }
        return new LocalPipeline.Options(defaults.projectDir(), input, workDir, kafkaPort, fresh, keepRunning, epochs, learningRate,
                modelDir, follow, 0);
    }

    private static Path path(String arg, String value) {
        return Path.of(require(arg, value)).toAbsolutePath();
    }

    private static String require(String arg, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(arg + " needs a value, as in " + arg + "=...\n" + USAGE);
        }
        return value;
    }

    private LocalPipelineArgs() {
    }
}
