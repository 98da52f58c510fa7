package org.omomi.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNamesOrderShapesValuesAndMetadata() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("0.weight", Tensor.randn(new Rng(1), 3, 4));
        t.put("0.bias", Tensor.vector(1, -2, Float.NaN));
        t.put("scalar", Tensor.scalar(7));
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, t, Map.of("note", "hello"));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(List.of("0.weight", "0.bias", "scalar"), List.copyOf(c.tensors().keySet()));
        for (String k : t.keySet()) {
            assertArrayEquals(t.get(k).shape(), c.tensors().get(k).shape(), k);
            assertArrayEquals(t.get(k).toArray(), c.tensors().get(k).toArray(), k);
        }
        assertEquals("hello", c.metadata().get("note"));
        // The header is padded so the data starts 8-byte aligned, as the reference writer does.
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
    }

    /** A file written the way the reference implementation does, with any dtype. */
    private Path file(String header, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        Path f = dir.resolve("x" + System.nanoTime() + ".safetensors");
        Files.write(f, out.toByteArray());
        return f;
    }

    @Test
    void readsOtherFloatTypes() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(8 + 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
        d.putDouble(1.5);
        d.putShort((short) 0x3C00); // F16 1.0
        d.putShort((short) 0xC000); // F16 -2.0
        d.putShort((short) 0x3F80); // BF16 1.0
        d.putShort((short) 0x4049); // BF16 3.140625
        Path f = file("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"c\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[12,16]}}", d.array());
        Safetensors.Contents c = Safetensors.read(f);
        assertArrayEquals(new float[] {1.5f}, c.tensors().get("a").toArray());
        assertArrayEquals(new float[] {1f, -2f}, c.tensors().get("b").toArray());
        assertArrayEquals(new float[] {1f, 3.140625f}, c.tensors().get("c").toArray());
        assertEquals(Map.of("a", "F64", "b", "F16", "c", "BF16"), c.dtypes());
    }

    /** PyTorch's batch norm saves num_batches_tracked as int64; integer tensors read as whole floats. */
    @Test
    void readsIntegerTypesAsWholeFloats() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(8 + 8 + 4 + 2 + 1 + 1 + 1).order(ByteOrder.LITTLE_ENDIAN);
        d.putLong(7L).putLong(-3L);
        d.putInt(123456);
        d.putShort((short) -2);
        d.put((byte) -5).put((byte) 0xff).put((byte) 1);
        Path f = file("{\"n\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[16,20]},"
                + "\"s\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[20,22]},"
                + "\"b\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[22,23]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[23,24]},"
                + "\"t\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[24,25]}}", d.array());
        Safetensors.Contents c = Safetensors.read(f);
        assertArrayEquals(new float[] {7f, -3f}, c.tensors().get("n").toArray());
        assertArrayEquals(new float[] {123456f}, c.tensors().get("i").toArray());
        assertEquals(0, c.tensors().get("i").dim());
        assertArrayEquals(new float[] {-2f}, c.tensors().get("s").toArray());
        assertArrayEquals(new float[] {-5f}, c.tensors().get("b").toArray());
        assertArrayEquals(new float[] {255f}, c.tensors().get("u").toArray());
        assertArrayEquals(new float[] {1f}, c.tensors().get("t").toArray());
        assertEquals("I64", c.dtypes().get("n"));
        assertEquals("BOOL", c.dtypes().get("t"));
    }

    @Test
    void badFilesAreReportedWithFileAndTensor() throws IOException {
        byte[] eight = new byte[8];
        assertMessage(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight), "tensor 'w': shape [3]");
        assertMessage(file("{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", eight), "tensor 'w': dtype C64");
        assertMessage(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", eight), "outside the 8 data bytes");
        assertMessage(file("{not json", eight), "not valid JSON");
        Path shortFile = dir.resolve("short.safetensors");
        Files.write(shortFile, new byte[] {1, 2, 3});
        assertMessage(shortFile, "only 3 bytes");
        Path hugeHeader = dir.resolve("huge.safetensors");
        Files.write(hugeHeader, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertMessage(hugeHeader, "header length");
    }

    private static void assertMessage(Path f, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void newFilesAreReadableByOthersAndReplacedFilesKeepTheirPermissions() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path f = dir.resolve("perm.txt");
        AtomicFile.writeString(f, "a");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        AtomicFile.writeString(f, "b");
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void aFailedWriteLeavesTheOldFileWhole() throws IOException {
        Path f = dir.resolve("keep.txt");
        AtomicFile.writeString(f, "old content");
        assertThrows(IOException.class, () -> AtomicFile.write(f, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full, say");
        }));
        assertEquals("old content", Files.readString(f));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }
}
