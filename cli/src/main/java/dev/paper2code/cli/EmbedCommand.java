package dev.paper2code.cli;

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

/**
 * {@code embed}: token ids and mean-pooled embeddings of texts, as JSON on stdout.
 *
 * <pre>
 *   bin/embed --model-dir DIR [--side paper|code] [--tokenizer DIR] [--max-length N] [--text TEXT]...
 * </pre>
 * DIR is a Hugging Face model directory (config.json + model.safetensors or pytorch_model.bin) or a
 * checkpoint the trainer wrote (contrastive.json; {@code --side} picks the encoder). The tokenizer is
 * read from {@code --tokenizer}, else {@code DIR/tokenizer}, else DIR itself. Without {@code --text},
 * texts are read from stdin, one per line.
 */
public final class EmbedCommand {
    private static final String USAGE = "Usage: embed --model-dir DIR [--side paper|code] [--tokenizer DIR] "
            + "[--max-length N] [--text TEXT]...   (texts from stdin, one per line, when no --text)";

    private EmbedCommand() {
    }

    public static void main(String[] args) throws IOException {
        try {
            run(args, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("embed: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    static void run(String[] args, BufferedReader stdin, PrintStream out) throws IOException {
        Path modelDir = null;
        Path tokenizerDir = null;
        String side = "paper";
        Integer maxLength = null;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                out.println(USAGE);
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--model-dir" -> modelDir = Path.of(value);
                case "--tokenizer" -> tokenizerDir = Path.of(value);
                case "--side" -> side = value;
                case "--max-length" -> maxLength = Integer.parseInt(value);
                case "--text" -> texts.add(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (modelDir == null) {
            throw new IllegalArgumentException("--model-dir is required");
        }
        if (!side.equals("paper") && !side.equals("code")) {
            throw new IllegalArgumentException("--side must be paper or code, not " + side);
        }
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
        boolean trained = Files.isRegularFile(modelDir.resolve(ContrastiveModel.OPTIONS_FILE));
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
                embeddings = side.equals("paper") || !trained ? model.embedPapers(batch) : model.embedCode(batch);
            }
            ObjectNode result = Json.MAPPER.createObjectNode()
                    .put("model_dir", modelDir.toString())
                    .put("side", trained ? side : "encoder")
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
    }
}
