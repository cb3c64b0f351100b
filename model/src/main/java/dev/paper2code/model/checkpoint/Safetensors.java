package dev.paper2code.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.model.io.ModelJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data. Reads F32, F16 and BF16.
 */
public final class Safetensors {
    private Safetensors() {
    }

    public static Map<String, Tensor> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buffer.getLong();
        if (headerLength <= 0 || headerLength > bytes.length - 8) {
            throw new IOException(file + " is not a safetensors file: header length " + headerLength);
        }
        JsonNode header = ModelJson.MAPPER.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        int dataStart = 8 + (int) headerLength;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode info = entry.getValue();
            long[] shape = new long[info.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = info.path("shape").get(i).asLong();
            }
            int begin = dataStart + info.path("data_offsets").get(0).asInt();
            int end = dataStart + info.path("data_offsets").get(1).asInt();
            ByteBuffer data = ByteBuffer.wrap(bytes, begin, end - begin).slice().order(ByteOrder.LITTLE_ENDIAN);
            tensors.put(entry.getKey(), new Tensor(entry.getKey(), shape,
                    decode(info.path("dtype").asText(), data, entry.getKey(), file)));
        }
        return tensors;
    }

    /** Writes F32 tensors; used for optimizer state, which the engine has no format for. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        var header = ModelJson.MAPPER.createObjectNode();
        var meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (Tensor tensor : tensors.values()) {
            var info = header.putObject(tensor.name()).put("dtype", "F32");
            var shape = info.putArray("shape");
            for (long dim : tensor.shape()) {
                shape.add(dim);
            }
            info.putArray("data_offsets").add(offset).add(offset + 4L * tensor.data().length);
            offset += 4L * tensor.data().length;
        }
        byte[] headerBytes = ModelJson.MAPPER.writeValueAsBytes(header);
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
            out.write(length.array());
            out.write(headerBytes);
            for (Tensor tensor : tensors.values()) {
                ByteBuffer data = ByteBuffer.allocate(4 * tensor.data().length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(tensor.data());
                out.write(data.array());
            }
        }
    }

    public static Map<String, String> metadata(Path file) throws IOException {
        byte[] start = new byte[8];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(start, 0, 8);
            long length = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN).getLong();
            JsonNode header = ModelJson.MAPPER.readTree(new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
            Map<String, String> metadata = new LinkedHashMap<>();
            header.path("__metadata__").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            return metadata;
        }
    }

    static float[] decode(String dtype, ByteBuffer data, String name, Object where) throws IOException {
        switch (dtype) {
            case "F32" -> {
                float[] values = new float[data.remaining() / 4];
                data.asFloatBuffer().get(values);
                return values;
            }
            case "F16", "BF16" -> {
                float[] values = new float[data.remaining() / 2];
                for (int i = 0; i < values.length; i++) {
                    short bits = data.getShort(2 * i);
                    values[i] = dtype.equals("F16") ? Float16.fromHalf(bits) : Float16.fromBFloat16(bits);
                }
                return values;
            }
            default -> throw new IOException(where + ": tensor " + name + " has dtype " + dtype
                    + "; only F32, F16 and BF16 are supported");
        }
    }
}
