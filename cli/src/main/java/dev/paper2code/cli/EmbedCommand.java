package dev.paper2code.cli;

import dev.paper2code.model.contrastive.SavedModelLayout;
import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embed}: token ids and mean-pooled embeddings of texts, as JSON on stdout. DIR is a Hugging Face
 * model directory (config.json + model.safetensors or pytorch_model.bin) or a checkpoint the trainer
 * wrote (contrastive.json; {@code --side} picks the encoder). Options: {@code bin/embed --help}.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, version = "paper2code-trainer embed 0.1.0", sortOptions = false, showDefaultValues = true,
        description = "Token ids and mean-pooled embeddings of texts, as JSON on stdout.")
public final class EmbedCommand implements Callable<Integer> {
    /** Which encoder of a trainer checkpoint embeds the texts. */
    enum Side { paper, code }

    @Option(names = "--model-dir", required = true, paramLabel = "DIR",
            description = "a Hugging Face model directory or a checkpoint the trainer wrote (e.g. checkpoints/best_model)")
    Path modelDir;

    @Option(names = "--side", defaultValue = "paper", paramLabel = "SIDE",
            description = "the encoder of a trainer checkpoint: ${COMPLETION-CANDIDATES}")
    Side side;

    @Option(names = "--tokenizer", paramLabel = "DIR",
            description = "tokenizer directory; default: DIR/tokenizer when it exists, else DIR itself")
    Path tokenizerDir;

    @Option(names = "--max-length", paramLabel = "N",
            description = "tokens per text; default: min(512, the model's positions)")
    Integer maxLength;

    @Option(names = "--text", paramLabel = "TEXT",
            description = "a text to embed (repeatable); without any, texts are read from stdin, one per line")
    List<String> texts = new ArrayList<>();

    private final BufferedReader stdin;
    private final PrintStream out;

    EmbedCommand(BufferedReader stdin, PrintStream out) {
        this.stdin = stdin;
        this.out = out;
    }

    public static void main(String[] args) {
        CommandLines.main(new EmbedCommand(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out), args);
    }

    /** Parses and runs, as {@code main} does, for tests: usage errors are IllegalArgumentExceptions. */
    static void run(String[] args, BufferedReader stdin, PrintStream out) throws IOException {
        EmbedCommand command = new EmbedCommand(stdin, out);
        if (CommandLines.parse(command, args, out)) {
            command.call();
        }
    }

    @Override
    public Integer call() throws IOException {
        List<String> texts = new ArrayList<>(this.texts);
        Path tokenizerDir = this.tokenizerDir;
        if (texts.isEmpty()) {
            for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
                if (!line.isBlank()) {
                    texts.add(line);
                }
            }
        }
        if (tokenizerDir == null) {
            tokenizerDir = Files.isDirectory(modelDir.resolve("tokenizer")) ? modelDir.resolve("tokenizer") : modelDir;
        }
        Device device = Engine.getInstance().defaultDevice();
        boolean trained = Files.isRegularFile(modelDir.resolve(SavedModelLayout.OPTIONS_FILE));
        try (ContrastiveModel model = trained
                ? ContrastiveModel.load(modelDir, device)
                : ContrastiveModel.fromPretrained(modelDir, new ContrastiveOptions(0.07f, false, true, false, 0f), device);
             TruncatingTokenizer tokenizer = new TruncatingTokenizer(TokenizerSnapshot.read(tokenizerDir),
                     maxLength != null ? maxLength : Math.min(512, model.encoderConfig().maxSequenceLength()))) {
            List<int[]> ids = new ArrayList<>();
            for (String text : texts) {
                ids.add(tokenizer.encode(text).inputIds());
            }
            float[][] embeddings = new float[0][];
            if (!ids.isEmpty()) {
                TokenBatch batch = TokenBatch.pad(ids, model.encoderConfig().padTokenId());
                embeddings = side == Side.paper || !trained ? model.embedPapers(batch) : model.embedCode(batch);
            }
            ObjectNode result = Json.MAPPER.createObjectNode()
                    .put("model_dir", modelDir.toString())
                    .put("side", trained ? side.name() : "encoder")
                    .put("tokenizer_fingerprint", tokenizer.fingerprint())
                    .put("dimension", model.encoderConfig().hiddenSize());
            ArrayNode items = result.putArray("items");
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode item = items.addObject().put("text", texts.get(i));
                ArrayNode idArray = item.putArray("input_ids");
                for (int id : ids.get(i)) {
                    idArray.add(id);
                }
                ArrayNode embedding = item.putArray("embedding");
                for (float value : embeddings[i]) {
                    embedding.add(value);
                }
            }
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        return 0;
    }
}
