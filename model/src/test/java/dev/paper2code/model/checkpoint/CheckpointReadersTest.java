package dev.paper2code.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.model.TinyRoberta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointReadersTest {
    @TempDir
    Path tempDir;

    @Test
    void pytorchBinAndSafetensorsHoldTheSameTensorsOnceThePrefixIsRemoved() throws IOException {
        Map<String, Tensor> fromSafetensors = ModelWeights.read(TinyRoberta.DIRECTORY);
        Map<String, Tensor> rawBin = TorchPickleReader.read(TinyRoberta.DIRECTORY.resolve("pytorch_model.bin"));
        assertTrue(rawBin.keySet().stream().allMatch(name -> name.startsWith("roberta.")), "the fixture's bin is prefixed");

        Map<String, Tensor> fromBin = ModelWeights.read(TinyRoberta.pytorchBinOnly(tempDir));
        assertEquals(fromSafetensors.keySet(), fromBin.keySet());
        fromSafetensors.forEach((name, tensor) -> {
            assertArrayEquals(tensor.shape(), fromBin.get(name).shape(), name);
            assertArrayEquals(tensor.data(), fromBin.get(name).data(), name);
        });
    }

    @Test
    void halfAndBFloat16AreWidenedToFloat32() throws IOException {
        // 1.0, -2.5, 65504 (largest half), 2^-24 (smallest subnormal half)
        short[] half = {0x3c00, (short) 0xc100, 0x7bff, 0x0001};
        // 1.0, -2.5, 3.140625 (pi rounded to bfloat16)
        short[] bfloat = {0x3f80, (short) 0xc020, 0x4049};
        Path file = tempDir.resolve("mixed.safetensors");
        writeSafetensors(file, "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[8,14]}}", shorts(half, bfloat));

        Map<String, Tensor> tensors = Safetensors.read(file);
        assertArrayEquals(new float[] {1f, -2.5f, 65504f, 0x1.0p-24f}, tensors.get("h").data());
        assertArrayEquals(new float[] {1f, -2.5f, 3.140625f}, tensors.get("b").data());
    }

    @Test
    void unsupportedDtypesAreNamed() throws IOException {
        Path file = tempDir.resolve("ints.safetensors");
        writeSafetensors(file, "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        IOException error = assertThrows(IOException.class, () -> Safetensors.read(file));
        assertTrue(error.getMessage().contains("ids has dtype I64"), error.getMessage());
    }

    @Test
    void writtenTensorsAndMetadataReadBack() throws IOException {
        Path file = tempDir.resolve("state.safetensors");
        Tensor tensor = new Tensor("w", new long[] {2, 2}, new float[] {1, 2, 3, 4});
        Safetensors.write(file, Map.of("w", tensor), Map.of("step", "7"));
        assertArrayEquals(tensor.data(), Safetensors.read(file).get("w").data());
        assertEquals("7", Safetensors.metadata(file).get("step"));
    }

    @Test
    void aPickleThatCallsAnythingButTensorRebuildingIsRefusedBeforeItRuns() throws IOException {
        // protocol 2: GLOBAL posix.system, MARK, BINUNICODE "touch pwned", TUPLE, REDUCE, STOP
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(new byte[] {(byte) 0x80, 2});
        pickle.write("cposix\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        pickle.write('(');
        byte[] command = "touch pwned".getBytes(StandardCharsets.UTF_8);
        pickle.write('X');
        pickle.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(command.length).array());
        pickle.write(command);
        pickle.write(new byte[] {'t', 'R', '.'});
        Path bin = tempDir.resolve("pytorch_model.bin");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bin))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle.toByteArray());
            zip.closeEntry();
        }

        IOException error = assertThrows(IOException.class, () -> TorchPickleReader.read(bin));
        assertTrue(error.getMessage().contains("posix.system"), error.getMessage());
        assertTrue(error.getMessage().contains("refusing"), error.getMessage());
    }

    @Test
    void aFileThatIsNotATorchArchiveSaysSo() throws IOException {
        Path legacy = tempDir.resolve("pytorch_model.bin");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(legacy))) {
            zip.putNextEntry(new ZipEntry("something/else.txt"));
            zip.closeEntry();
        }
        IOException error = assertThrows(IOException.class, () -> TorchPickleReader.read(legacy));
        assertTrue(error.getMessage().contains("no data.pkl"), error.getMessage());
    }

    @Test
    void aDirectoryWithoutWeightsNamesBothFiles() {
        IOException error = assertThrows(IOException.class, () -> ModelWeights.read(tempDir));
        assertTrue(error.getMessage().contains("model.safetensors") && error.getMessage().contains("pytorch_model.bin"));
    }

    private static byte[] shorts(short[]... groups) {
        int count = 0;
        for (short[] group : groups) {
            count += group.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (short[] group : groups) {
            for (short value : group) {
                buffer.putShort(value);
            }
        }
        return buffer.array();
    }

    private static void writeSafetensors(Path file, String header, byte[] data) throws IOException {
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + headerBytes.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(headerBytes.length).put(headerBytes).put(data);
        Files.write(file, buffer.array());
    }
}
