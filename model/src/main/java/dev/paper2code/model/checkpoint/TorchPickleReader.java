package dev.paper2code.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a {@code pytorch_model.bin} (the zip format of {@code torch.save}) without executing anything
 * it contains. The pickle is interpreted by a small stack machine that knows only the opcodes a state
 * dict uses and resolves only the globals that rebuild tensors; any other global is refused, which is
 * what makes an untrusted checkpoint safe to open.
 */
public final class TorchPickleReader {
    private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final Map<String, String> STORAGE_DTYPES = Map.of(
            "torch.FloatStorage", "F32",
            "torch.HalfStorage", "F16",
            "torch.BFloat16Storage", "BF16");
    private static final Set<String> ALLOWED_GLOBALS = Set.of(REBUILD_TENSOR, ORDERED_DICT,
            "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage");
    private static final Object MARK = new Object();
    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private record Global(String name) {
    }

    private record StorageRef(String dtype, String key) {
    }

    private record RawTensor(long[] shape, float[] data) {
    }

    private final ZipFile zip;
    private final String prefix;
    private final Path file;
    private final Map<String, float[]> storages = new HashMap<>();

    private TorchPickleReader(ZipFile zip, String prefix, Path file) {
        this.zip = zip;
        this.prefix = prefix;
        this.file = file;
    }

    public static Map<String, Tensor> read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = zip.stream()
                    .filter(e -> e.getName().endsWith("/data.pkl"))
                    .findFirst()
                    .orElseThrow(() -> new IOException(file + " is not a torch.save zip archive (no data.pkl); "
                            + "the legacy pre-1.6 format is not supported"));
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            byte[] program;
            try (var in = zip.getInputStream(pickle)) {
                program = in.readAllBytes();
            }
            Object result = new TorchPickleReader(zip, prefix, file).run(ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN));
            if (!(result instanceof Map<?, ?> dict)) {
                throw new IOException(file + " does not hold a state dict but a " + describe(result));
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : dict.entrySet()) {
                if (entry.getValue() instanceof RawTensor raw && entry.getKey() instanceof String name) {
                    tensors.put(name, new Tensor(name, raw.shape(), raw.data()));
                } else {
                    throw new IOException(file + ": entry " + entry.getKey() + " is a " + describe(entry.getValue())
                            + ", not a tensor");
                }
            }
            return tensors;
        }
    }

    private Object run(ByteBuffer in) throws IOException {
        Deque<Object> stack = new ArrayDeque<>();
        Map<Integer, Object> memo = new HashMap<>();
        while (in.hasRemaining()) {
            int opcode = in.get() & 0xff;
            switch (opcode) {
                case 0x80 -> in.get(); // PROTO
                case 0x95 -> in.getLong(); // FRAME
                case '}' -> stack.push(new LinkedHashMap<>());
                case ']' -> stack.push(new ArrayList<>());
                case ')' -> stack.push(List.of());
                case '(' -> stack.push(MARK);
                case 'q' -> memo.put(in.get() & 0xff, stack.peek());
                case 'r' -> memo.put(in.getInt(), stack.peek());
                case 0x94 -> memo.put(memo.size(), stack.peek()); // MEMOIZE
                case 'h' -> stack.push(memoized(memo, in.get() & 0xff));
                case 'j' -> stack.push(memoized(memo, in.getInt()));
                case 'X' -> stack.push(string(in, in.getInt()));
                case 0x8c -> stack.push(string(in, in.get() & 0xff)); // SHORT_BINUNICODE
                case 'K' -> stack.push((long) (in.get() & 0xff));
                case 'M' -> stack.push((long) (in.getShort() & 0xffff));
                case 'J' -> stack.push((long) in.getInt());
                case 0x8a -> stack.push(long1(in)); // LONG1
                case 'N' -> stack.push(NONE);
                case 0x88 -> stack.push(Boolean.TRUE);
                case 0x89 -> stack.push(Boolean.FALSE);
                case 'c' -> stack.push(global(line(in) + "." + line(in)));
                case 0x93 -> { // STACK_GLOBAL
                    String name = (String) stack.pop();
                    stack.push(global(stack.pop() + "." + name));
                }
                case 't' -> stack.push(List.copyOf(popToMark(stack)));
                case 0x85 -> stack.push(List.of(stack.pop()));
                case 0x86 -> {
                    Object second = stack.pop();
                    stack.push(List.of(stack.pop(), second));
                }
                case 0x87 -> {
                    Object third = stack.pop();
                    Object second = stack.pop();
                    stack.push(List.of(stack.pop(), second, third));
                }
                case 'Q' -> stack.push(persistent(stack.pop()));
                case 'R' -> {
                    Object args = stack.pop();
                    stack.push(call(stack.pop(), (List<?>) args));
                }
                case 'b' -> stack.pop(); // BUILD: the state of an OrderedDict (its _metadata) is not needed
                case 'u' -> {
                    List<Object> items = popToMark(stack);
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        dict.put(items.get(i), items.get(i + 1));
                    }
                }
                case 's' -> {
                    Object value = stack.pop();
                    Object key = stack.pop();
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                    dict.put(key, value);
                }
                case 'e' -> {
                    List<Object> items = popToMark(stack);
                    @SuppressWarnings("unchecked")
                    List<Object> list = (List<Object>) stack.peek();
                    list.addAll(items);
                }
                case '.' -> {
                    return stack.pop();
                }
                default -> throw new IOException(file + ": pickle opcode 0x" + Integer.toHexString(opcode)
                        + " at byte " + (in.position() - 1) + " is not part of a tensor state dict; refusing to go on");
            }
        }
        throw new IOException(file + ": pickle ended without STOP");
    }

    private Global global(String name) throws IOException {
        if (!ALLOWED_GLOBALS.contains(name)) {
            throw new IOException(file + " references " + name + ", which is not tensor data; refusing to load it "
                    + "(only " + ALLOWED_GLOBALS + " are allowed)");
        }
        return new Global(name);
    }

    private Object persistent(Object id) throws IOException {
        if (id instanceof List<?> tuple && tuple.size() == 5 && "storage".equals(tuple.get(0))
                && tuple.get(1) instanceof Global type && STORAGE_DTYPES.containsKey(type.name())) {
            return new StorageRef(STORAGE_DTYPES.get(type.name()), String.valueOf(tuple.get(2)));
        }
        throw new IOException(file + ": unsupported persistent id " + describe(id));
    }

    private Object call(Object callable, List<?> args) throws IOException {
        if (!(callable instanceof Global global)) {
            throw new IOException(file + ": cannot call a " + describe(callable));
        }
        if (global.name().equals(ORDERED_DICT) && args.isEmpty()) {
            return new LinkedHashMap<>();
        }
        if (global.name().equals(REBUILD_TENSOR) && args.size() >= 4 && args.get(0) instanceof StorageRef storage) {
            return rebuildTensor(storage, (Long) args.get(1), longs(args.get(2)), longs(args.get(3)));
        }
        throw new IOException(file + ": unexpected call of " + global.name() + " with " + args.size() + " arguments");
    }

    private RawTensor rebuildTensor(StorageRef storage, long offset, long[] shape, long[] stride) throws IOException {
        float[] values = storage(storage);
        int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] data = new float[size];
        int[] index = new int[shape.length];
        for (int i = 0; i < size; i++) {
            long position = offset;
            for (int d = 0; d < shape.length; d++) {
                position += index[d] * stride[d];
            }
            if (position >= values.length) {
                throw new IOException(file + ": tensor reads past the end of storage " + storage.key());
            }
            data[i] = values[(int) position];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return new RawTensor(shape, data);
    }

    private float[] storage(StorageRef ref) throws IOException {
        float[] cached = storages.get(ref.key());
        if (cached != null) {
            return cached;
        }
        ZipEntry entry = zip.getEntry(prefix + "data/" + ref.key());
        if (entry == null) {
            throw new IOException(file + ": storage " + ref.key() + " is missing from the archive");
        }
        byte[] bytes;
        try (var in = zip.getInputStream(entry)) {
            bytes = in.readAllBytes();
        }
        float[] values = Safetensors.decode(ref.dtype(), ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN),
                "storage " + ref.key(), file);
        storages.put(ref.key(), values);
        return values;
    }

    private static long[] longs(Object tuple) {
        return ((List<?>) tuple).stream().mapToLong(v -> (Long) v).toArray();
    }

    private static List<Object> popToMark(Deque<Object> stack) {
        List<Object> items = new ArrayList<>();
        while (stack.peek() != MARK) {
            items.add(0, stack.pop());
        }
        stack.pop();
        return items;
    }

    private Object memoized(Map<Integer, Object> memo, int index) throws IOException {
        if (!memo.containsKey(index)) {
            throw new IOException(file + ": pickle refers to memo entry " + index + " before defining it");
        }
        return memo.get(index);
    }

    private static String string(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String line(ByteBuffer in) {
        StringBuilder text = new StringBuilder();
        for (byte b = in.get(); b != '\n'; b = in.get()) {
            text.append((char) b);
        }
        return text.toString();
    }

    private static long long1(ByteBuffer in) throws IOException {
        int length = in.get() & 0xff;
        if (length > 8) {
            throw new IOException("integer of " + length + " bytes in a state dict");
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            value |= (in.get() & 0xffL) << (8 * i);
        }
        if (length > 0 && length < 8 && (value & (1L << (8 * length - 1))) != 0) {
            value -= 1L << (8 * length);
        }
        return value;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }
}
