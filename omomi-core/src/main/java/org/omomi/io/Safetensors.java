package org.omomi.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.tensor.Tensor;

/**
 * The safetensors format (Hugging Face), which PyTorch reads and writes: an 8-byte little-endian
 * header length, a JSON header mapping each name to its dtype, shape and byte range, then the raw
 * little-endian data. omomi writes float32 ("F32") with PyTorch's names and layouts, so
 * {@code model.load_state_dict(load_file(path))} works on the equivalent PyTorch model; it reads
 * F32, F64, F16 and BF16, and the integer types a PyTorch state dict holds (I64 for batch norm's
 * {@code num_batches_tracked}; I32, I16, I8, U8, BOOL), converting each to float32: exact for
 * every 16-bit float and for whole numbers up to 2²⁴ in magnitude, rounded beyond.
 *
 * <p>Reading validates everything before trusting it: the header length against the file size,
 * the JSON, each dtype, that each shape matches its byte range, and that ranges lie inside the
 * data. Errors name the file and the tensor.
 */
public final class Safetensors {

    /**
     * Tensors in file order, the string metadata of {@code __metadata__}, and each tensor's dtype in
     * the file ({@code F32}, {@code I64}, …) before it became float32.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, String> dtypes) {

        /** Contents whose tensors were all float32 in the file. */
        public Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
            this(tensors, metadata, allF32(tensors));
        }

        private static Map<String, String> allF32(Map<String, Tensor> tensors) {
            Map<String, String> d = new LinkedHashMap<>();
            tensors.keySet().forEach(k -> d.put(k, "F32"));
            return d;
        }
    }

    private static final long MAX_HEADER = 100L << 20; // 100 MB, as the reference implementation

    private Safetensors() {}

    /** Writes float32 tensors (in the map's order) and metadata, atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        List<float[]> data = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("'__metadata__' cannot name a tensor");
            }
            float[] values = e.getValue().toArray();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            List<Object> shape = new ArrayList<>();
            for (int d : e.getValue().shape()) {
                shape.add((long) d);
            }
            info.put("shape", shape);
            long end = offset + 4L * values.length;
            info.put("data_offsets", List.of(offset, end));
            header.put(e.getKey(), info);
            data.add(values);
            offset = end;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        AtomicFile.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] values : data) {
                for (float v : values) {
                    if (buf.remaining() < 4) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    /** Reads every tensor; errors say which file and which tensor is wrong. */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "only " + size + " bytes; a safetensors file starts with an 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw bad(file, "header length " + headerLen + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            Object parsed;
            try {
                parsed = Json.parse(new String(headerBuf.array(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw bad(file, "header is not valid JSON (" + e.getMessage() + ")");
            }
            if (!(parsed instanceof Map)) {
                throw bad(file, "header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("__metadata__")) {
                    if (!(e.getValue() instanceof Map)) {
                        throw bad(file, "__metadata__ is not an object");
                    }
                    ((Map<?, ?>) e.getValue()).forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                    continue;
                }
                entries.add(entry(file, name, e.getValue(), dataLen));
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> dtypes = new LinkedHashMap<>();
            for (Entry en : entries) {
                ByteBuffer raw = ByteBuffer.allocate((int) (en.end - en.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, raw, dataStart + en.begin);
                raw.flip();
                tensors.put(en.name, Tensor.of(decode(raw, en.dtype, en.count), en.shape));
                dtypes.put(en.name, en.dtype);
            }
            return new Contents(tensors, metadata, dtypes);
        }
    }

    private record Entry(String name, String dtype, int[] shape, int count, long begin, long end) {}

    private static Entry entry(Path file, String name, Object info, long dataLen) {
        String shown = JsonFields.printable(name);
        if (!(info instanceof Map)) {
            throw bad(file, "tensor '" + shown + "': entry is not an object");
        }
        Map<?, ?> m = (Map<?, ?>) info;

        Object dtype = m.get("dtype");
        int width = dtype instanceof String ? width((String) dtype) : -1;
        if (width < 0) {
            throw bad(file, "tensor '" + shown + "': dtype " + (dtype instanceof String d ? JsonFields.printable(d) : JsonFields.describe(dtype)) + " is not supported (F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        if (!(m.get("shape") instanceof List) || !(m.get("data_offsets") instanceof List)
                || ((List<?>) m.get("shape")).size() > 64
                || ((List<?>) m.get("data_offsets")).size() != 2) {
            throw bad(file, "tensor '" + shown + "': needs 'shape' (at most 64 dimensions) and two 'data_offsets'");
        }
        List<?> dims = (List<?>) m.get("shape");
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            double d = dims.get(i) instanceof Double ? (Double) dims.get(i) : -1;
            if (d < 0 || d != Math.rint(d) || d > Integer.MAX_VALUE) {
                throw bad(file, "tensor '" + shown + "': bad dimension " + JsonFields.describe(dims.get(i)));
            }
            shape[i] = (int) d;
            // Saturate rather than overflow: a count beyond the data is refused below either way.
            count = count > Long.MAX_VALUE / Math.max(1, shape[i]) ? Long.MAX_VALUE : count * shape[i];
        }
        List<?> off = (List<?>) m.get("data_offsets");
        long[] range = new long[2];
        for (int i = 0; i < 2; i++) {
            Object o = off.get(i);
            if (!(o instanceof Double d) || d < 0 || d != Math.rint(d)) {
                throw bad(file, "tensor '" + shown + "': data offset " + JsonFields.describe(o) + " is not a whole number of bytes");
            }
            range[i] = d > dataLen ? Long.MAX_VALUE : d.longValue();
        }
        long begin = range[0];
        long end = range[1];
        if (end < begin || end > dataLen) {
            throw bad(file, "tensor '" + shown + "': data range [" + JsonFields.describe(off.get(0)) + ", " + JsonFields.describe(off.get(1))
                    + ") is outside the " + dataLen + " data bytes");
        }
        if (count > dataLen || count * width != end - begin) {
            throw bad(file, "tensor '" + shown + "': shape " + java.util.Arrays.toString(shape) + " of " + dtype // a dtype known by now
                    + " needs " + (count > dataLen ? "more" : String.valueOf(count * width)) + " bytes but its data range has " + (end - begin));
        }
        if (end - begin > Integer.MAX_VALUE - 16) {
            throw bad(file, "tensor '" + shown + "' is too large (" + (end - begin) + " bytes; at most 2³¹ are read)");
        }
        return new Entry(name, (String) dtype, shape, (int) count, begin, end);
    }

    private static int width(String dtype) {
        switch (dtype) {
            case "F32": case "I32": return 4;
            case "F64": case "I64": return 8;
            case "F16": case "BF16": case "I16": return 2;
            case "I8": case "U8": case "BOOL": return 1;
            default: return -1;
        }
    }

    private static float[] decode(ByteBuffer raw, String dtype, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            switch (dtype) {
                case "F32": out[i] = raw.getFloat(); break;
                case "F64": out[i] = (float) raw.getDouble(); break;
                case "BF16": out[i] = Float.intBitsToFloat((raw.getShort() & 0xffff) << 16); break;
                case "F16": out[i] = halfToFloat(raw.getShort()); break;
                case "I64": out[i] = raw.getLong(); break;
                case "I32": out[i] = raw.getInt(); break;
                case "I16": out[i] = raw.getShort(); break;
                case "I8": out[i] = raw.get(); break;
                default: out[i] = raw.get() & 0xff; break; // U8, and BOOL as 0 or 1
            }
        }
        return out;
    }

    /** IEEE 754 half precision to float, subnormals and specials included. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }
}
