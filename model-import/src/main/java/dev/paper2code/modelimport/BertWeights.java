package dev.paper2code.modelimport;

import dev.paper2code.model.checkpoint.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * The initializers of a BERT/RoBERTa export under their Hugging Face names. PyTorch's exporter keeps the
 * names of the tensors it uses as they are (embeddings, biases, LayerNorms) but folds each Linear's
 * {@code weight.T} into an unnamed {@code onnx::MatMul_N} initializer of shape [in, out]: such a weight is
 * named after the bias its MatMul's Add adds ({@code X.bias} gives {@code X.weight}) and transposed back
 * to [out, in]. Names lose a {@code bert.}/{@code roberta.} task-head prefix, as {@code BertModel.save_pretrained}
 * writes them.
 */
final class BertWeights {
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
    private static final List<String> PREFIXES = List.of("bert.", "roberta.");
    /** Buffers, not parameters: Hugging Face recomputes them. */
    private static final List<String> BUFFERS = List.of("embeddings.position_ids", "embeddings.token_type_ids");

    private BertWeights() {
    }

    /** Hugging Face name to tensor, embeddings first, then layer by layer as the encoder declares them. */
    static Map<String, Tensor> map(OnnxGraph graph, Consumer<String> notes) throws IOException {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (TensorProto tensor : graph.initializers().values()) {
            String name = hfName(tensor.getName());
            if (isHfParameter(name) && !consumedByMatMul(graph, tensor.getName())) {
                named.put(name, new Tensor(name, OnnxGraph.dims(tensor), graph.floats(tensor)));
            }
        }
        int transposed = 0;
        for (NodeProto node : graph.nodes()) {
            if (node.getOpType().equals("MatMul") && node.getInputCount() == 2) {
                Optional<TensorProto> weight = graph.constant(node.getInput(1)).filter(t -> t.getDimsCount() == 2);
                Optional<String> name = weight.flatMap(w -> linearWeightName(graph, node, w));
                if (name.isPresent()) {
                    named.put(name.get(), transpose(name.get(), weight.get(), graph.floats(weight.get())));
                    transposed++;
                }
            } else if (node.getOpType().equals("Gemm") && node.getInputCount() == 3) {
                gemmWeight(graph, node).ifPresent(t -> named.put(t.name(), t));
            }
        }
        notes.accept(transposed + " Linear weights named after their biases and transposed from [in, out]");
        return named;
    }

    static String hfName(String onnxName) {
        for (String prefix : PREFIXES) {
            if (onnxName.startsWith(prefix)) {
                return onnxName.substring(prefix.length());
            }
        }
        return onnxName;
    }

    private static boolean isHfParameter(String name) {
        return (name.startsWith("embeddings.") || name.startsWith("encoder.layer.") || name.startsWith("pooler."))
                && !BUFFERS.contains(name);
    }

    /**
     * A named Linear weight used as MatMul's right operand is stored [in, out] and is handled with the unnamed
     * ones. Embedding tables are looked up by Gather and keep their [rows, hidden] layout whatever else uses them.
     */
    private static boolean consumedByMatMul(OnnxGraph graph, String name) {
        return !hfName(name).startsWith("embeddings.") && graph.consumers(name).stream()
                .anyMatch(n -> n.getOpType().equals("MatMul") && n.getInput(1).equals(name));
    }

    /** {@code X.weight} for the MatMul whose output an Add sums with the initializer {@code X.bias}. */
    private static Optional<String> linearWeightName(OnnxGraph graph, NodeProto matMul, TensorProto weight) {
        String own = hfName(weight.getName());
        if (own.endsWith(".weight") && isHfParameter(own) && !own.startsWith("embeddings.")) {
            return Optional.of(own);
        }
        for (NodeProto add : graph.consumers(matMul.getOutput(0))) {
            if (!add.getOpType().equals("Add")) {
                continue;
            }
            for (String input : add.getInputList()) {
                String bias = hfName(input);
                if (graph.initializers().containsKey(input) && bias.endsWith(".bias") && isHfParameter(bias)) {
                    return Optional.of(bias.substring(0, bias.length() - ".bias".length()) + ".weight");
                }
            }
        }
        return Optional.empty();
    }

    /** Gemm (2-D Linear, e.g. the pooler): B is [out, in] when transB = 1, as nn.Linear keeps it. */
    private static Optional<Tensor> gemmWeight(OnnxGraph graph, NodeProto gemm) throws IOException {
        Optional<TensorProto> weight = graph.constant(gemm.getInput(1)).filter(t -> t.getDimsCount() == 2);
        String bias = hfName(gemm.getInput(2));
        if (weight.isEmpty() || !bias.endsWith(".bias") || !isHfParameter(bias)) {
            return Optional.empty();
        }
        String name = bias.substring(0, bias.length() - ".bias".length()) + ".weight";
        boolean transB = OnnxGraph.attribute(gemm, "transB").map(a -> a.getI() == 1).orElse(false);
        float[] data = graph.floats(weight.get());
        return Optional.of(transB ? new Tensor(name, OnnxGraph.dims(weight.get()), data)
                : transpose(name, weight.get(), data));
    }

    private static Tensor transpose(String name, TensorProto weight, float[] data) {
        int rows = (int) weight.getDims(0);
        int cols = (int) weight.getDims(1);
        float[] out = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = data[r * cols + c];
            }
        }
        return new Tensor(name, new long[] {cols, rows}, out);
    }

    /** Number of layers: one more than the highest {@code encoder.layer.N}. */
    static int layerCount(Map<String, Tensor> weights) {
        int highest = -1;
        for (String name : weights.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        return highest + 1;
    }

    /** Every tensor the encoder needs, with the shape it needs, for a config of these sizes. */
    static Map<String, long[]> required(int hidden, int inner, int layers, int vocab, int positions, int types) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("embeddings.word_embeddings.weight", new long[] {vocab, hidden});
        shapes.put("embeddings.position_embeddings.weight", new long[] {positions, hidden});
        shapes.put("embeddings.token_type_embeddings.weight", new long[] {types, hidden});
        layerNorm(shapes, "embeddings.LayerNorm", hidden);
        for (int i = 0; i < layers; i++) {
            String layer = "encoder.layer." + i + ".";
            linear(shapes, layer + "attention.self.query", hidden, hidden);
            linear(shapes, layer + "attention.self.key", hidden, hidden);
            linear(shapes, layer + "attention.self.value", hidden, hidden);
            linear(shapes, layer + "attention.output.dense", hidden, hidden);
            layerNorm(shapes, layer + "attention.output.LayerNorm", hidden);
            linear(shapes, layer + "intermediate.dense", inner, hidden);
            linear(shapes, layer + "output.dense", hidden, inner);
            layerNorm(shapes, layer + "output.LayerNorm", hidden);
        }
        return shapes;
    }

    /** All missing or mis-shaped tensors at once, each named, or nothing. */
    static List<String> problems(Map<String, Tensor> weights, Map<String, long[]> required) {
        List<String> problems = new ArrayList<>();
        required.forEach((name, shape) -> {
            Tensor tensor = weights.get(name);
            if (tensor == null) {
                problems.add("missing initializer " + name + " " + Arrays.toString(shape).replace("-1", "?")
                        + (name.endsWith(".weight") && !name.contains("LayerNorm") && !name.startsWith("embeddings.")
                        ? " (a MatMul weight whose Add adds " + name.replace(".weight", ".bias") + ")" : ""));
            } else if (!Arrays.equals(shape, tensor.shape())) {
                problems.add(name + " has shape " + tensor.shapeText() + ", expected " + Arrays.toString(shape));
            }
        });
        return problems;
    }

    private static void linear(Map<String, long[]> shapes, String name, int out, int in) {
        shapes.put(name + ".weight", new long[] {out, in});
        shapes.put(name + ".bias", new long[] {out});
    }

    private static void layerNorm(Map<String, long[]> shapes, String name, int size) {
        shapes.put(name + ".weight", new long[] {size});
        shapes.put(name + ".bias", new long[] {size});
    }
}
