package dev.paper2code.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/run-local}'s command line, parsed by picocli: {@code --help} lists every option with its
 * default; a bad option is named. The run settings of the Python training script this system replaces
 * have flags of their own ({@code --batch-size}, {@code --num-epochs}, {@code --learning-rate},
 * {@code --temperature}, {@code --checkpoint-dir}, {@code --resume-from}); every other run setting is
 * {@code --setting name=value}, under the snake_case name {@code POST /runs} takes. The trainer validates
 * them all, as it does for REST.
 */
@Command(name = "run-local", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        version = "paper2code-trainer run-local 0.1.0",
        description = "Starts a KRaft broker process on 127.0.0.1 and the four services, feeds the pairs file, "
                + "trains, and reports what arrived (bin/run-local builds the project first unless SKIP_BUILD=1).",
        footer = {"", "Any other run setting: --setting NAME=VALUE with the name POST /runs takes, e.g.",
                "  --setting dropout=0 --setting mini_batch_size=16 --setting seed=7",
                "(the trainer's settings and defaults: docs/training.md, or GET /q/openapi of a running trainer)."})
final class LocalPipelineArgs {
    @Option(names = "--input", paramLabel = "PATH", defaultValue = "data/sample/paper_code_pairs.json",
            description = "paper_code_pairs.json to feed")
    Path input;

    @Option(names = "--work-dir", paramLabel = "PATH", defaultValue = ".run-local",
            description = "broker data, tokenizer, checkpoints, search index; kept between runs")
    Path workDir;

    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "19092",
            description = "broker port on 127.0.0.1 (0 picks a free one)")
    int kafkaPort;

    @Option(names = "--fresh", description = "delete the work dir first, starting from empty topics")
    boolean fresh;

    @Option(names = {"--num-epochs", "--epochs"}, paramLabel = "N",
            description = "training epochs; default: the trainer's for a pretrained start, 8 with --scratch")
    Integer epochs;

    @Option(names = "--learning-rate", paramLabel = "X",
            description = "peak learning rate; default: the trainer's fine-tuning rate (2e-5) for a pretrained start, "
                    + "5e-4 with --scratch")
    String learningRate;

    @Option(names = "--batch-size", paramLabel = "N", description = "pairs per batch (in-batch negatives); default: the trainer's, 8")
    Integer batchSize;

    @Option(names = "--temperature", paramLabel = "T", description = "InfoNCE temperature; default: the trainer's, 0.07")
    String temperature;

    @Option(names = "--checkpoint-dir", paramLabel = "PATH", description = "where runs write checkpoints; default: WORK_DIR/checkpoints")
    Path checkpointDir;

    @Option(names = "--resume-from", paramLabel = "CHECKPOINT",
            description = "a checkpoint to continue from, e.g. .run-local/checkpoints/run-…/checkpoint_epoch_2")
    Path resumeFrom;

    @Option(names = "--model-dir", paramLabel = "PATH",
            description = "start both encoders from this Hugging Face model directory (e.g. a microsoft/codebert-base "
                    + "snapshot, its tokenizer files included; the tokenizer-service then uses its tokenizer) instead "
                    + "of the default, all-MiniLM-L6-v2 (pretrained, imported from Maven Central's langchain4j jar)")
    Path modelDir;

    @Option(names = "--scratch", description = "train a small RoBERTa from random weights, with a WordPiece vocabulary "
            + "learned from the pairs, instead of fine-tuning a pretrained encoder (far worse retrieval: see docs/BENCHMARKS.md)")
    boolean scratch;

    @Option(names = "--max-length", paramLabel = "N",
            description = "tokens per text (title + abstract, or name + description); default: 256 for a pretrained start, 512 with --scratch")
    Integer maxLength;

    @Option(names = "--setting", paramLabel = "NAME=VALUE", description = "any other run setting (repeatable)")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--keep-running",
            description = "keep the broker and services up until Ctrl-C, to publish, subscribe, search and use the dashboard")
    boolean keepRunning;

    @Option(names = "--follow", description = "continuous training: keep running, and every few new pairs published "
            + "start a warm-start run from the champion by themselves")
    boolean follow;

    /** The usage text, as --help prints it. */
    static String usage() {
        return new CommandLine(new LocalPipelineArgs()).getUsageMessage();
    }

    /** @throws IllegalArgumentException with picocli's message, which names the bad option */
    static LocalRunOptions parse(String[] args) {
        return parse(args, System.out).orElseThrow(() -> new IllegalArgumentException("help was asked for, not a run"));
    }

    /**
     * The options of a run, or empty when {@code --help} or {@code --version} was asked for (then printed
     * to {@code out}).
     *
     * @throws IllegalArgumentException with picocli's message, which names the bad option
     */
    static java.util.Optional<LocalRunOptions> parse(String[] args, java.io.PrintStream out) {
        LocalPipelineArgs parsed = new LocalPipelineArgs();
        CommandLine line = new CommandLine(parsed);
        try {
            CommandLine.ParseResult result = line.parseArgs(args);
            if (result.isUsageHelpRequested()) {
                line.usage(out);
                return java.util.Optional.empty();
            }
            if (result.isVersionHelpRequested()) {
                line.printVersionHelp(out);
                return java.util.Optional.empty();
            }
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + usage(), e);
        }
        return java.util.Optional.of(parsed.options(Path.of("").toAbsolutePath()));
    }

    private LocalRunOptions options(Path projectDir) {
        Map<String, String> runSettings = new LinkedHashMap<>();
        settings.forEach((name, value) -> runSettings.put(name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_'), value));
        if (batchSize != null) {
            runSettings.put("batch_size", batchSize.toString());
        }
        if (temperature != null) {
            runSettings.put("temperature", temperature);
        }
        if (resumeFrom != null) {
            runSettings.put("resume_from", resumeFrom.toAbsolutePath().toString());
        }
        for (String owned : new String[] {"num_epochs", "learning_rate", "checkpoint_dir", "model_dir", "tokenizer_path"}) {
            if (runSettings.containsKey(owned)) {
                throw new IllegalArgumentException("--setting " + owned + " is an option of its own here (or set by "
                        + "run-local): use --" + owned.replace('_', '-') + "\n" + usage());
            }
        }
        if (scratch && modelDir != null) {
            throw new IllegalArgumentException("--scratch and --model-dir exclude each other\n" + usage());
        }
        return new LocalRunOptions(projectDir, input.toAbsolutePath(), workDir.toAbsolutePath(), kafkaPort, fresh,
                keepRunning, epochs, learningRate, modelDir == null ? null : modelDir.toAbsolutePath(), scratch, maxLength,
                follow, 0, checkpointDir == null ? null : checkpointDir.toAbsolutePath(), runSettings);
    }
}
