package org.omomi.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a training that holds its data in memory needs of the heap, checked before it starts, so
 * that a file too large is refused at once with what to change — never an OutOfMemoryError after
 * minutes of parsing.
 *
 * <p>A CSV read whole ({@code Csv.read}) costs about 3 bytes of heap per byte of text (the text,
 * and the builder it grew in) plus, per row, one string per field (~48 bytes with its header and
 * array) and the row's array; the rows and fields per byte are counted in the first MiB. Files of
 * short numeric fields need some 16 times their size.
 */
final class HeapBudget {

    private static final int SAMPLE = 1 << 20;
    private static final int PER_FIELD = 48;
    private static final int PER_ROW = 40;

    private HeapBudget() {}

    /** Bytes of heap reading {@code file} whole needs, estimated from its size and its first MiB. */
    static long csv(Path file) throws IOException {
        long size = Files.size(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes((int) Math.min(size, SAMPLE));
        }
        long lines = 0;
        long commas = 0;
        for (byte b : head) {
            if (b == '\n') {
                lines++;
            } else if (b == ',') {
                commas++;
            }
        }
        lines = Math.max(1, lines);
        double fieldsPerRow = (double) (commas + lines) / lines;
        double rows = (double) size * lines / Math.max(1, head.length);
        return (long) (3.0 * size + rows * (PER_ROW + fieldsPerRow * (PER_FIELD + 4)));
    }

    /** The heap this JVM may use. */
    static long max() {
        return Runtime.getRuntime().maxMemory();
    }

    /** Refuses {@code files} (read whole) when their estimate is beyond the heap this JVM may use; else returns the estimate. */
    static long checkCsv(Path... files) throws IOException {
        long need = 0;
        for (Path f : files) {
            if (f != null) {
                need += csv(f);
            }
        }
        if (need > max()) {
            throw new IllegalArgumentException(tooLarge(files[0], need));
        }
        return need;
    }

    /** The one line that says a table does not fit and what to change. */
    static String tooLarge(Path file, long need) {
        long gib = Math.max(1, (need + (need >> 2) + (1L << 30) - 1) >> 30);
        return String.format(Locale.ROOT, "%s: training reads the whole table into memory, about %,d MiB of heap for this data,"
                + " and this JVM may use %,d MiB; give it more with -Xmx%dg (./omomi: OMOMI_JAVA_OPTS=-Xmx%dg), or train on a sample"
                + " of the rows (a click log of any size streams with 'omomi ctr train')", file, need >> 20, max() >> 20, gib, gib);
    }
}
