package dev.paper2code.modelimport;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * An ONNX model parsed with the classes protoc generates from ONNX's own {@code onnx.proto}, indexed for
 * walking the graph: constant tensors (initializers and {@code Constant} nodes) by name, and nodes by the
 * values they produce and consume. Only what an importer of weights needs; no shape inference.
 */
public final class OnnxGraph {
    private final ModelProto model;
    private final String source;
    private final Map<String, TensorProto> constants = new LinkedHashMap<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();

    private OnnxGraph(ModelProto model, String source) {
        this.model = model;
        this.source = source;
        GraphProto graph = model.getGraph();
        for (TensorProto tensor : graph.getInitializerList()) {
            initializers.put(tensor.getName(), tensor);
            constants.put(tensor.getName(), tensor);
        }
        for (NodeProto node : graph.getNodeList()) {
            for (String output : node.getOutputList()) {
                producers.put(output, node);
            }
            for (String input : node.getInputList()) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
            if (node.getOpType().equals("Constant") && node.getOutputCount() == 1) {
                attribute(node, "value").filter(AttributeProto::hasT)
                        .ifPresent(value -> constants.put(node.getOutput(0), value.getT()));
            }
        }
    }

    /**
     * Parses a serialized {@code ModelProto}. A file that is not one (truncated, or another format) fails
     * here, naming the byte where the parser stopped, or on the first check of what it parsed.
     */
    public static OnnxGraph parse(byte[] bytes, String source) throws IOException {
        CodedInputStream input = CodedInputStream.newInstance(bytes);
        ModelProto model;
        try {
            model = ModelProto.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            // Protobuf's own message says what broke (e.g. "the input ended unexpectedly ... truncated").
            throw new IOException(source + " is not an ONNX model: protobuf parse failed at byte "
                    + input.getTotalBytesRead() + " of " + bytes.length + ": " + e.getMessage().strip(), e);
        }
        // Protobuf has no magic number: some foreign bytes parse as a message of unknown fields only.
        if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new IOException(source + " is not an ONNX model: it parsed as protobuf but has "
                    + (model.getIrVersion() <= 0 ? "no ir_version" : "no graph nodes")
                    + " (" + bytes.length + " bytes)");
        }
        return new OnnxGraph(model, source);
    }

    public ModelProto model() {
        return model;
    }

    public String source() {
        return source;
    }

    /** Graph initializers by name, in file order. */
    public Map<String, TensorProto> initializers() {
        return initializers;
    }

    /** An initializer or the value of a {@code Constant} node. */
    public Optional<TensorProto> constant(String name) {
        return Optional.ofNullable(constants.get(name));
    }

    public List<NodeProto> nodes() {
        return model.getGraph().getNodeList();
    }

    public Optional<NodeProto> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    public List<NodeProto> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** How the producers' framework describes itself, e.g. "pytorch 2.0.1". */
    public String producerName() {
        return (model.getProducerName() + " " + model.getProducerVersion()).trim();
    }

    public static Optional<AttributeProto> attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    public static long[] dims(TensorProto tensor) {
        return tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** The values of a FLOAT (fp32) tensor, from raw_data (little-endian) or float_data. */
    public float[] floats(TensorProto tensor) throws IOException {
        requireInline(tensor);
        if (tensor.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IOException(source + ": tensor " + tensor.getName() + " has ONNX data type "
                    + tensor.getDataType() + "; only FLOAT (fp32) weights are supported");
        }
        if (!tensor.getRawData().isEmpty()) {
            float[] values = new float[tensor.getRawData().size() / Float.BYTES];
            tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }
        float[] values = new float[tensor.getFloatDataCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = tensor.getFloatData(i);
        }
        return values;
    }

    /** The values of an integer tensor (INT64 or INT32) as longs; empty for any other type. */
    public Optional<long[]> longs(TensorProto tensor) throws IOException {
        requireInline(tensor);
        int type = tensor.getDataType();
        if (type != TensorProto.DataType.INT64_VALUE && type != TensorProto.DataType.INT32_VALUE) {
            return Optional.empty();
        }
        if (!tensor.getRawData().isEmpty()) {
            ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            boolean wide = type == TensorProto.DataType.INT64_VALUE;
            long[] values = new long[raw.remaining() / (wide ? Long.BYTES : Integer.BYTES)];
            for (int i = 0; i < values.length; i++) {
                values[i] = wide ? raw.getLong() : raw.getInt();
            }
            return Optional.of(values);
        }
        List<Long> list = type == TensorProto.DataType.INT64_VALUE ? tensor.getInt64DataList()
                : tensor.getInt32DataList().stream().map(Integer::longValue).toList();
        return Optional.of(list.stream().mapToLong(Long::longValue).toArray());
    }

    /** A scalar (or one-element) FLOAT or DOUBLE constant, e.g. an epsilon or a scale. */
    public Optional<Double> scalar(String name) throws IOException {
        Optional<TensorProto> tensor = constant(name);
        if (tensor.isEmpty() || tensor.get().getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b) != 1) {
            return Optional.empty();
        }
        TensorProto t = tensor.get();
        if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
            return Optional.of((double) floats(t)[0]);
        }
        if (t.getDataType() == TensorProto.DataType.DOUBLE_VALUE) {
            return Optional.of(t.getRawData().isEmpty() ? t.getDoubleData(0)
                    : t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getDouble());
        }
        return longs(t).map(v -> (double) v[0]);
    }

    private void requireInline(TensorProto tensor) throws IOException {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IOException(source + ": tensor " + tensor.getName()
                    + " keeps its data in an external file; only self-contained .onnx files are supported");
        }
    }
}
