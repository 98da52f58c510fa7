package org.omomi.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Streams a CSV file and prints its row count and the sum of an integer column, with this
 * JVM's heap cap: the program {@link CsvLargerThanMemoryTest} runs in a JVM with a small heap.
 * Usage: {@code CsvRowCounter FILE COLUMN}.
 */
final class CsvRowCounter {

    private CsvRowCounter() {}

    public static void main(String[] args) throws IOException {
        long rows = 0;
        long sum = 0;
        try (Csv.Reader r = Csv.stream(Path.of(args[0]))) {
            int column = r.column(args[1]);
            for (Csv.Row row = r.next(); row != null; row = r.next()) {
                rows++;
                sum += Long.parseLong(row.fields()[column]);
            }
        }
        System.out.println("rows=" + rows + " sum=" + sum + " maxMemory=" + Runtime.getRuntime().maxMemory());
    }
}
