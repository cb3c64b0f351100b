package dev.paper2code.modelimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.model.hf.SentenceTransformersOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Inputs that are not a BERT export fail before anything is written, with a message naming the problem. */
class ImportErrorsTest {
    @TempDir
    Path temp;

    @Test
    void truncatedFileIsNotAnOnnxModel() throws IOException {
        byte[] onnx = MiniLm.onnx();
        String message = failure(Arrays.copyOf(onnx, onnx.length / 2));
        assertTrue(message.contains("is not an ONNX model: protobuf parse failed at byte"), message);
        assertTrue(message.contains("truncated"), message);
    }

    @Test
    void tokenizerJsonIsNotAnOnnxModel() throws IOException {
        String message = failure(MiniLm.tokenizer());
        assertTrue(message.contains("is not an ONNX model"), message);
    }

    @Test
    void randomBytesAreNotAnOnnxModel() throws IOException {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        String message = failure(noise);
        assertTrue(message.contains("is not an ONNX model"), message);
    }

    @Test
    void missingWordEmbeddingsAreNamed() throws IOException {
        String message = failure(edit(graph -> withoutInitializer(graph, "embeddings.word_embeddings.weight")));
        assertTrue(message.contains("missing initializer embeddings.word_embeddings.weight"), message);
    }

    @Test
    void missingKeyOfOneLayerIsNamed() throws IOException {
        String message = failure(edit(graph -> withoutInitializer(graph, "encoder.layer.3.attention.self.key.bias")));
        assertTrue(message.contains("missing initializer encoder.layer.3.attention.self.key.bias [384]"), message);
        // Its Linear weight is found through that bias, so it goes missing too, and the message says why.
        assertTrue(message.contains("missing initializer encoder.layer.3.attention.self.key.weight [384, 384]"), message);
        assertFalse(message.contains("encoder.layer.2."), message);
    }

    @Test
    void headCountThatTheGraphDoesNotShowIsAnError() throws IOException {
        // Replace the head count in every attention Reshape and the attention scale sqrt(32).
        String message = failure(edit(graph -> {
            GraphProto.Builder builder = graph.toBuilder();
            for (int i = 0; i < builder.getNodeCount(); i++) {
                NodeProto node = builder.getNode(i);
                if (node.getOpType().equals("Constant")) {
                    TensorProto value = node.getAttribute(0).getT();
                    boolean heads = value.getDataType() == TensorProto.DataType.INT64_VALUE && value.getDimsCount() == 1
                            && value.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong() == 12;
                    boolean scale = node.getOutput(0).contains("attention/self/Constant_12");
                    if (heads || scale) {
                        builder.setNode(i, node.toBuilder().clearAttribute().build()); // a Constant without its value
                    }
                }
            }
            return builder.build();
        }));
        assertTrue(message.contains("cannot determine num_attention_heads"), message);
    }

    @Test
    void robertaShapedExportMapsWithItsPaddingOffset() throws IOException {
        // RoBERTa's position ids: CumSum over input_ids != pad. The weights have the same layout.
        byte[] onnx = edit(graph -> graph.toBuilder()
                .addNode(NodeProto.newBuilder().setOpType("Constant").addOutput("pad")
                        .addAttribute(AttributeProto.newBuilder().setName("value").setT(TensorProto.newBuilder()
                                .setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(1))))
                .addNode(NodeProto.newBuilder().setOpType("Equal").addInput("input_ids").addInput("pad").addOutput("is_pad"))
                .addNode(NodeProto.newBuilder().setOpType("CumSum").addInput("is_pad").addOutput("positions"))
                .build());
        ImportResult result = OnnxBertImporter.importModel(onnx, "roberta.onnx", MiniLm.tokenizer(), "tokenizer.json",
                temp, SentenceTransformersOptions.MEAN_POOLING);
        assertEquals("roberta", result.config().modelType());
        assertEquals(1, result.config().padTokenId());
        assertEquals(510, result.config().maxSequenceLength());
    }

    @Test
    void commandLineNamesWhatIsWrong() throws IOException {
        Path onnx = Files.write(temp.resolve("noise.onnx"), new byte[] {1, 2, 3});
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--onnx", onnx.toString(), "--output", temp.resolve("out").toString()));
        assertTrue(err.toString().contains("--onnx needs --tokenizer"), err.toString());
        err = new StringWriter();
        assertEquals(1, run(err, "--onnx", onnx.toString(), "--tokenizer", onnx.toString(), "--output",
                temp.resolve("out").toString()));
        assertTrue(err.toString().contains("is not an ONNX model"), err.toString());
        assertEquals(2, run(new StringWriter(), "--bundled", "bert-large", "--output", temp.toString()));
    }

    private static int run(StringWriter err, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine line = new CommandLine(new ImportModelCommand(new PrintStream(out, true, StandardCharsets.UTF_8)));
        line.setErr(new PrintWriter(err, true));
        line.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            commandLine.getErr().println(error.getMessage());
            return error instanceof IllegalArgumentException ? 2 : 1;
        });
        return line.execute(args);
    }

    /** The message of the failed import, after checking that nothing was written. */
    private String failure(byte[] onnx) throws IOException {
        Path output = temp.resolve("model");
        IOException error = assertThrows(IOException.class, () -> OnnxBertImporter.importModel(onnx, "test.onnx",
                MiniLm.tokenizer(), "tokenizer.json", output, SentenceTransformersOptions.MEAN_POOLING));
        assertFalse(Files.exists(output), "nothing is written for a model that cannot be imported");
        System.out.println(error.getMessage());
        return error.getMessage();
    }

    /** The bundled model with its graph changed, re-serialized. */
    private static byte[] edit(UnaryOperator<GraphProto> change) throws IOException {
        ModelProto model = ModelProto.parseFrom(MiniLm.onnx());
        return model.toBuilder().setGraph(change.apply(model.getGraph())).build().toByteArray();
    }

    private static GraphProto withoutInitializer(GraphProto graph, String name) {
        GraphProto.Builder builder = graph.toBuilder();
        for (int i = 0; i < builder.getInitializerCount(); i++) {
            if (builder.getInitializer(i).getName().equals(name)) {
                return builder.removeInitializer(i).build();
            }
        }
        throw new IllegalArgumentException("no initializer " + name);
    }
}
