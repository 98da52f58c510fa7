package org.omomi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Csv#stream} reads a file eight times larger than the heap of the JVM reading it, in one
 * pass, and counts its rows and sums a column exactly: the rows are not held in memory.
 */
class CsvLargerThanMemoryTest {

    private static final int HEAP_MIB = 32;
    private static final long FILE_BYTES = 8L * HEAP_MIB * 1024 * 1024 + (16 << 20); // 8× the cap, and some

    @TempDir
    Path dir;

    @Test
    void aForkedJvmWithA32MiBHeapStreamsA272MiBFile() throws IOException, InterruptedException, URISyntaxException {
        Path file = dir.resolve("large.csv");
        try {
            long[] expected = generate(file);
            long size = Files.size(file);
            assertTrue(size >= FILE_BYTES, "file of " + size + " bytes");

            String classPath = String.join(File.pathSeparator, codeSource(Csv.class), codeSource(CsvRowCounter.class));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path log = dir.resolve("child.log");
            Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx" + HEAP_MIB + "m", "-XX:+UseSerialGC", "-cp", classPath,
                    CsvRowCounter.class.getName(), file.toString(), "value"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the forked JVM did not finish in two minutes");
            } finally {
                p.destroyForcibly();
            }
            String output = Files.readString(log).strip();
            assertEquals(0, p.exitValue(), output);
            String[] parts = output.substring(output.lastIndexOf("rows=")).split("[ =]");
            assertEquals(expected[0], Long.parseLong(parts[1]), output);
            assertEquals(expected[1], Long.parseLong(parts[3]), output);
            long maxMemory = Long.parseLong(parts[5]);
            assertTrue(maxMemory <= HEAP_MIB << 20, "the child's heap cap " + maxMemory);
            assertTrue(size >= 8 * maxMemory, size + " bytes is not 8× the child's heap " + maxMemory);
        } finally {
            Files.deleteIfExists(file);
        }
        assertFalse(Files.exists(file));
    }

    /**
     * Writes rows {@code id,value,note,label} until the file passes {@link #FILE_BYTES}, with
     * quoted fields (some holding commas, doubled quotes or a line break), CR LF and LF endings
     * and blank lines; returns the row count and the exact sum of the integer column {@code value}.
     */
    private static long[] generate(Path file) throws IOException {
        SplittableRandom rng = new SplittableRandom(12);
        String[] notes = {"plain", "\"with, a comma\"", "\"said \"\"hi\"\"\"", "\"two\nlines\"", "重み", ""};
        int[] extraBytes = new int[notes.length]; // UTF-8 bytes beyond one per char
        for (int i = 0; i < notes.length; i++) {
            extraBytes[i] = notes[i].getBytes(StandardCharsets.UTF_8).length - notes[i].length();
        }
        long rows = 0;
        long sum = 0;
        long bytes = 0;
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            String header = "id,value,note,label\n";
            w.write(header);
            bytes += header.length();
            StringBuilder line = new StringBuilder(64);
            while (bytes < FILE_BYTES) {
                long value = rng.nextLong(-1_000_000_000L, 1_000_000_000L);
                line.setLength(0);
                int note = rng.nextInt(notes.length);
                line.append(rows).append(',').append(value).append(',').append(notes[note]).append(',')
                        .append(rng.nextBoolean() ? "yes" : "no").append(rng.nextInt(4) == 0 ? "\r\n" : "\n");
                if (rng.nextInt(100) == 0) {
                    line.append('\n');
                }
                w.append(line);
                bytes += line.length() + extraBytes[note];
                rows++;
                sum += value;
            }
        }
        return new long[] {rows, sum};
    }

    private static String codeSource(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
