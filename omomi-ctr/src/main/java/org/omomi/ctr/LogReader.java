package org.omomi.ctr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A click log read one impression at a time, in one pass, memory bounded by one row. Rows that
 * are malformed (a wrong number of fields, a label that is not 0 or 1, a Criteo integer field that
 * is not an integer) raise an error naming the file and line, or, when the log was opened to skip
 * bad rows, are passed over and counted ({@link #skipped()}).
 */
public interface LogReader extends AutoCloseable {

    /** The file being read. */
    Path file();

    /** The feature names of every row's {@link LogRow#values()}, in order. */
    List<String> fields();

    /** The next row, or null after the last. */
    LogRow next() throws IOException;

    /** Rows passed over as malformed so far (0 unless bad rows are skipped). */
    long skipped();

    /** The first skipped row's error, or null. */
    String firstSkipped();

    @Override
    void close() throws IOException;
}
