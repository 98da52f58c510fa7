package org.omomi.ctr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A click log on disk and how to read it: its layout, the label column of a CSV file, the CSV
 * columns that are not features, and whether malformed rows are skipped (and counted) rather than
 * stopping the run. Each {@link #open} starts a fresh pass over the file.
 *
 * @param label   the CSV label column (default {@code click}); Criteo's is its first field
 * @param ignored CSV columns to leave out of the features ({@code true_probability} always is)
 */
public record ClickLog(Path file, LogFormat format, String label, Set<String> ignored, boolean skipBadRows) {

    /** The default label column of a CSV log. */
    public static final String DEFAULT_LABEL = "click";

    public ClickLog {
        ignored = Set.copyOf(ignored);
        label = label == null ? DEFAULT_LABEL : label;
    }

    /** A log with the default label and nothing ignored, failing on the first malformed row. */
    public static ClickLog of(Path file, LogFormat format) {
        return new ClickLog(file, format, DEFAULT_LABEL, Set.of(), false);
    }

    /** The same log, skipping malformed rows when {@code on}. */
    public ClickLog skippingBadRows(boolean on) {
        return new ClickLog(file, format, label, ignored, on);
    }

    /** A pass over the labelled training rows, every feature column. */
    public LogReader open() throws IOException {
        return format == LogFormat.CRITEO ? new CriteoReader(file, true, skipBadRows)
                : new CsvLogReader(file, label, ignored, null, skipBadRows);
    }

    /**
     * A pass over the labelled rows of a part of this log: lines {@code firstLine},
     * {@code firstLine} + 1, … of the file (from 1), read from {@code in} — what a partition of a
     * distributed text file holds. Line numbers are the file's, so {@link Split} and error
     * messages agree with a pass over the whole file. Criteo's layout only: a part of a CSV file
     * has no header.
     */
    public LogReader openPart(java.io.InputStream in, int firstLine) {
        if (format != LogFormat.CRITEO) {
            throw new IllegalArgumentException(file + ": only a log in Criteo's layout can be read in parts (a CSV part has no header)");
        }
        return new CriteoReader(in, file, true, skipBadRows, firstLine);
    }

    /**
     * A pass for prediction: the given feature fields (a CSV file may hold others, and need not
     * hold the label); a Criteo file with or without its label column.
     */
    public LogReader openFor(List<String> fields) throws IOException {
        return format == LogFormat.CRITEO ? new CriteoReader(file, null, skipBadRows)
                : new CsvLogReader(file, label, ignored, fields, skipBadRows);
    }
}
