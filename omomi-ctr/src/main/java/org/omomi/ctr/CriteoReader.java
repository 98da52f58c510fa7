package org.omomi.ctr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.omomi.io.JsonFields;

/**
 * Criteo's tab-separated layout read from bytes: one line a row, split on tabs without regular
 * expressions, each field made a string only once (Latin-1 when it is ASCII, which Criteo's
 * hex values always are; UTF-8 otherwise). Memory: a 64 KiB buffer and the current line.
 */
final class CriteoReader implements LogReader {

    private static final List<String> FIELDS = LogFormat.criteoFields();

    private final Path file;
    private final InputStream in;
    private final boolean skipBad;
    private Boolean labelled; // null: decided by the first non-blank line (40 fields or 39)
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];
    private int lineLength;
    private int lineNumber;
    private final int[] starts = new int[41];
    private final int[] ends = new int[41];
    private long skipped;
    private String firstSkipped;

    /** {@code labelled}: true for training (40 fields), false or null (either, from the first line) for prediction. */
    CriteoReader(Path file, Boolean labelled, boolean skipBad) throws IOException {
        this(Files.newInputStream(file), file, labelled, skipBad, 1);
    }

    /** Lines of {@code file} from line {@code firstLine} (from 1) on, read from {@code in}; errors name the file's line numbers. */
    CriteoReader(InputStream in, Path file, Boolean labelled, boolean skipBad, int firstLine) {
        this.file = file;
        this.in = in;
        this.labelled = labelled;
        this.skipBad = skipBad;
        this.lineNumber = firstLine - 1;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public List<String> fields() {
        return FIELDS;
    }

    /** Whether rows carry the label (known after the first row when it was left open). */
    Boolean labelled() {
        return labelled;
    }

    @Override
    public LogRow next() throws IOException {
        while (readLine()) {
            if (lineLength == 0) {
                continue; // blank lines are skipped, as in CSV
            }
            try {
                return parse();
            } catch (IllegalArgumentException e) {
                if (!skipBad) {
                    throw e;
                }
                skipped++;
                if (firstSkipped == null) {
                    firstSkipped = e.getMessage();
                }
            }
        }
        return null;
    }

    private LogRow parse() {
        int n = 0;
        int start = 0;
        for (int i = 0; i <= lineLength; i++) {
            if (i == lineLength || line[i] == '\t') {
                if (n < starts.length) {
                    starts[n] = start;
                    ends[n] = i;
                }
                n++;
                start = i + 1;
            }
        }
        if (labelled == null) {
            if (n != 40 && n != 39) {
                throw bad(n + " tab-separated fields; the Criteo layout has 40 (label, 13 integers, 26 categories) or 39 without the label");
            }
            labelled = n == 40;
        }
        int expected = labelled ? 40 : 39;
        if (n != expected) {
            throw bad(n + " tab-separated fields, expected " + expected + (labelled ? " (label, 13 integers, 26 categories)" : " (13 integers, 26 categories)"));
        }
        int first = labelled ? 1 : 0;
        float label = Float.NaN;
        if (labelled) {
            int len = ends[0] - starts[0];
            byte b = len == 1 ? line[starts[0]] : 0;
            if (b != '0' && b != '1') {
                throw bad("the label must be 0 or 1, got '" + JsonFields.printable(text(starts[0], ends[0])) + "'");
            }
            label = b - '0';
        }
        String[] values = new String[39];
        for (int f = 0; f < 39; f++) {
            int s = starts[first + f];
            int e = ends[first + f];
            if (f < LogFormat.CRITEO_INTEGERS && !isInteger(s, e)) {
                throw bad(FIELDS.get(f) + " must be an integer or empty, got '" + JsonFields.printable(text(s, e)) + "'");
            }
            values[f] = s == e ? "" : text(s, e);
        }
        return new LogRow(values, label, Double.NaN, lineNumber);
    }

    private boolean isInteger(int s, int e) {
        if (s == e) {
            return true;
        }
        int i = line[s] == '-' ? s + 1 : s;
        if (i == e || e - i > 18) {
            return false;
        }
        for (; i < e; i++) {
            if (line[i] < '0' || line[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private String text(int s, int e) {
        for (int i = s; i < e; i++) {
            if (line[i] < 0) {
                return new String(line, s, e - s, StandardCharsets.UTF_8);
            }
        }
        return new String(line, s, e - s, StandardCharsets.ISO_8859_1);
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException(file + " line " + lineNumber + ": " + what);
    }

    /** Reads the next line (without its LF or CR LF) into {@code line}; false at the end of the file. */
    private boolean readLine() throws IOException {
        lineLength = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (any) {
                        lineNumber++;
                        trimCr();
                        return true;
                    }
                    return false;
                }
            }
            any = true;
            int i = pos;
            while (i < limit && buf[i] != '\n') {
                i++;
            }
            append(pos, i);
            if (i < limit) {
                pos = i + 1;
                lineNumber++;
                trimCr();
                return true;
            }
            pos = limit;
        }
    }

    private void append(int from, int to) {
        int n = to - from;
        if (lineLength + n > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(buf, from, line, lineLength, n);
        lineLength += n;
    }

    private void trimCr() {
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
    }

    @Override
    public long skipped() {
        return skipped;
    }

    @Override
    public String firstSkipped() {
        return firstSkipped;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
