package dev.paper2code.modelimport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * What the initializers do not say and the graph does: the number of attention heads, the LayerNorm
 * epsilon, BERT or RoBERTa position ids, and the GELU variant. Each finding is reported through
 * {@code notes}, so the user sees where a number came from (or that a default was used).
 */
final class ArchitectureProbe {
    /** Hugging Face's BertConfig default, used only when the graph carries no epsilon at all. */
    static final float DEFAULT_LAYER_NORM_EPS = 1e-12f;

    private final OnnxGraph graph;
    private final Consumer<String> notes;

    ArchitectureProbe(OnnxGraph graph, Consumer<String> notes) {
        this.graph = graph;
        this.notes = notes;
    }

    /**
     * From the Reshape that splits a projection into heads: its target shape ends with
     * {@code [heads, headSize]}, {@code heads * headSize == hidden}. PyTorch writes the shape either as one
     * constant ({@code [0, 0, 12, 32]}) or as a Concat of the dynamic batch and length with two constants.
     * Failing that, the attention scores' scale {@code sqrt(headSize)}.
     */
    int attentionHeads(int hidden) throws IOException {
        Map<Long, Integer> votes = new TreeMap<>();
        for (NodeProto node : graph.nodes()) {
            if (node.getOpType().equals("Reshape") && node.getInputCount() == 2) {
                List<Long> shape = shapeValues(node.getInput(1));
                int n = shape.size();
                if (n == 4 && shape.get(2) != null && shape.get(3) != null && shape.get(2) > 0
                        && shape.get(2) * shape.get(3) == hidden) {
                    votes.merge(shape.get(2), 1, Integer::sum);
                }
            }
        }
        if (!votes.isEmpty()) {
            long heads = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            notes.accept("num_attention_heads " + heads + ": from the attention Reshape shape [.., .., " + heads + ", "
                    + hidden / heads + "] (" + votes.get(heads) + " Reshape nodes)");
            return (int) heads;
        }
        for (NodeProto node : graph.nodes()) {
            if (node.getOpType().equals("Div") && node.getInputCount() == 2
                    && graph.producer(node.getInput(0)).map(p -> p.getOpType().equals("MatMul")).orElse(false)) {
                Optional<Double> scale = graph.scalar(node.getInput(1));
                if (scale.isPresent()) {
                    long headSize = Math.round(scale.get() * scale.get());
                    if (headSize > 0 && Math.abs(headSize - scale.get() * scale.get()) < 1e-3 && hidden % headSize == 0) {
                        notes.accept("num_attention_heads " + hidden / headSize + ": from the attention scale sqrt("
                                + headSize + ") (no Reshape with a constant head count)");
                        return (int) (hidden / headSize);
                    }
                }
            }
        }
        throw new IOException(graph.source() + ": cannot determine num_attention_heads: no attention Reshape to"
                + " [batch, length, heads, headSize] with constant heads and headSize (heads * headSize = " + hidden
                + "), and no attention scale sqrt(headSize)");
    }

    /** The values of a Reshape target, {@code null} where a dimension is computed at run time. */
    private List<Long> shapeValues(String name) throws IOException {
        List<Long> values = new ArrayList<>();
        Optional<TensorProto> constant = graph.constant(name);
        if (constant.isPresent()) {
            for (long v : graph.longs(constant.get()).orElse(new long[0])) {
                values.add(v);
            }
            return values;
        }
        Optional<NodeProto> producer = graph.producer(name);
        if (producer.isPresent() && producer.get().getOpType().equals("Concat")) {
            for (String part : producer.get().getInputList()) {
                Optional<TensorProto> partConstant = graph.constant(part);
                if (partConstant.isPresent()) {
                    for (long v : graph.longs(partConstant.get()).orElse(new long[0])) {
                        values.add(v);
                    }
                } else {
                    values.add(null); // e.g. Unsqueeze(Gather(Shape(x))): one dynamic dimension
                }
            }
        }
        return values;
    }

    /**
     * The epsilon of the decomposed LayerNorm ({@code Sqrt(Add(ReduceMean(Pow(x - mean, 2)), eps))}), or the
     * {@code epsilon} attribute of a fused LayerNormalization (opset 17).
     */
    float layerNormEps() throws IOException {
        Map<Float, Integer> votes = new TreeMap<>();
        for (NodeProto node : graph.nodes()) {
            if (node.getOpType().equals("LayerNormalization")) {
                OnnxGraph.attribute(node, "epsilon").ifPresent(a -> votes.merge(a.getF(), 1, Integer::sum));
            } else if (node.getOpType().equals("Sqrt")) {
                Optional<NodeProto> add = graph.producer(node.getInput(0)).filter(p -> p.getOpType().equals("Add"));
                if (add.isPresent()) {
                    for (String input : add.get().getInputList()) {
                        Optional<Double> eps = graph.scalar(input);
                        if (eps.isPresent()) {
                            votes.merge(eps.get().floatValue(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        if (votes.isEmpty()) {
            notes.accept("layer_norm_eps " + DEFAULT_LAYER_NORM_EPS + ": DEFAULT (BertConfig's); the graph has no"
                    + " LayerNorm epsilon constant");
            return DEFAULT_LAYER_NORM_EPS;
        }
        float eps = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        notes.accept("layer_norm_eps " + eps + ": from the LayerNorm epsilon constant (" + votes.get(eps)
                + " LayerNorms" + (votes.size() > 1 ? "; other values seen: " + votes.keySet() : "") + ")");
        return eps;
    }

    /**
     * RoBERTa numbers positions after the padding id with a CumSum over {@code input_ids != pad}; BERT
     * takes a slice of the position-id buffer. Returns the padding id for RoBERTa, empty for BERT.
     */
    Optional<Integer> robertaPaddingId() throws IOException {
        if (graph.nodes().stream().noneMatch(n -> n.getOpType().equals("CumSum"))) {
            return Optional.empty();
        }
        for (NodeProto node : graph.nodes()) {
            if ((node.getOpType().equals("Equal") || node.getOpType().equals("NotEqual"))
                    && node.getInputList().contains("input_ids")) {
                for (String input : node.getInputList()) {
                    Optional<Double> pad = graph.scalar(input);
                    if (pad.isPresent()) {
                        notes.accept("RoBERTa position ids (CumSum over input_ids != " + pad.get().intValue() + ")");
                        return Optional.of(pad.get().intValue());
                    }
                }
            }
        }
        notes.accept("RoBERTa position ids (CumSum); padding id not found in the graph, using 1 (RoBERTa's <pad>)");
        return Optional.of(1);
    }

    /** The encoder computes exact (erf) GELU only; an export with the tanh approximation would differ. */
    void requireErfGelu() throws IOException {
        boolean erf = graph.nodes().stream().anyMatch(n -> n.getOpType().equals("Erf") || n.getOpType().equals("Gelu"));
        boolean tanh = graph.nodes().stream().anyMatch(n -> n.getOpType().equals("Tanh"));
        if (!erf && tanh) {
            throw new IOException(graph.source() + ": the feed-forward activation is the tanh-approximated GELU"
                    + " (gelu_new); the encoder supports only the exact erf GELU (hidden_act \"gelu\")");
        }
        notes.accept("hidden_act gelu" + (erf ? " (Erf in the graph)" : " (assumed: no Erf node found)"));
    }
}
