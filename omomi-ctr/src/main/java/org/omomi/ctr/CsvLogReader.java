package org.omomi.ctr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.omomi.data.Csv;
import org.omomi.io.JsonFields;

/**
 * A CSV click log through {@link Csv#stream}: the label column (0 or 1), the generator's
 * {@code true_probability} column when present (never a feature), and the feature columns,
 * either every other column but the ignored ones (training) or the ones a trained model names
 * (prediction, where the label may be absent).
 */
final class CsvLogReader implements LogReader {

    /** The generator's column of true click probabilities; read as the truth, never as a feature. */
    static final String TRUTH = "true_probability";

    private final Csv.Reader csv;
    private final boolean skipBad;
    private final int labelColumn;
    private final int truthColumn;
    private final int[] columns;
    private final List<String> fields;
    private long skipped;
    private String firstSkipped;
    private String[] last;

    /**
     * @param label     the label column; required when {@code wanted} is null (training)
     * @param ignored   columns that are not features (training)
     * @param wanted    the feature columns to read, in this order (prediction), or null for all
     */
    CsvLogReader(Path file, String label, Set<String> ignored, List<String> wanted, boolean skipBad) throws IOException {
        this.csv = Csv.stream(file);
        this.skipBad = skipBad;
        try {
            List<String> header = csv.header();
            int l = header.indexOf(label);
            if (l < 0 && wanted == null) {
                throw new IllegalArgumentException(file + ": no label column '" + label + "'; the columns are "
                        + JsonFields.printable(String.valueOf(header)) + " (name it with --label)");
            }
            this.labelColumn = l;
            this.truthColumn = header.indexOf(TRUTH);
            List<String> names = new ArrayList<>();
            List<Integer> cols = new ArrayList<>();
            if (wanted == null) {
                for (String i : ignored) {
                    if (!header.contains(i)) {
                        throw new IllegalArgumentException(file + ": no column '" + i + "' to ignore; the columns are " + JsonFields.printable(String.valueOf(header)));
                    }
                }
                for (int c = 0; c < header.size(); c++) {
                    if (c != l && c != truthColumn && !ignored.contains(header.get(c))) {
                        names.add(header.get(c));
                        cols.add(c);
                    }
                }
                if (names.isEmpty()) {
                    throw new IllegalArgumentException(file + ": no feature columns besides the label '" + label + "'");
                }
            } else {
                for (String w : wanted) {
                    int c = header.indexOf(w);
                    if (c < 0) {
                        throw new IllegalArgumentException(file + ": no column '" + w + "', which the model reads; the columns are "
                                + JsonFields.printable(String.valueOf(header)));
                    }
                    names.add(w);
                    cols.add(c);
                }
            }
            this.fields = List.copyOf(names);
            this.columns = cols.stream().mapToInt(Integer::intValue).toArray();
        } catch (RuntimeException e) {
            csv.close();
            throw e;
        }
    }

    /** The file's header. */
    List<String> header() {
        return csv.header();
    }

    /** Whether rows carry the label. */
    boolean labelled() {
        return labelColumn >= 0;
    }

    @Override
    public Path file() {
        return csv.file();
    }

    @Override
    public List<String> fields() {
        return fields;
    }

    @Override
    public LogRow next() throws IOException {
        while (true) {
            try {
                Csv.Row r = csv.next();
                if (r == null) {
                    return null;
                }
                return row(r);
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
    }

    /** Every field of the row {@link #next()} returned last, as the file has them. */
    String[] lastFields() {
        return last;
    }

    private LogRow row(Csv.Row r) {
        String[] f = r.fields();
        last = f;
        float label = Float.NaN;
        if (labelColumn >= 0) {
            label = label(f[labelColumn], r.line());
        }
        double truth = Double.NaN;
        if (truthColumn >= 0 && !Csv.isMissing(f[truthColumn])) {
            try {
                truth = Double.parseDouble(f[truthColumn].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file() + " line " + r.line() + ": " + TRUTH + " is not a number: '" + JsonFields.printable(f[truthColumn]) + "'");
            }
        }
        String[] values = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = f[columns[i]];
        }
        return new LogRow(values, label, truth, r.line());
    }

    private float label(String v, int line) {
        String s = v.strip();
        if (s.equals("0") || s.equals("1")) {
            return s.charAt(0) - '0';
        }
        try {
            double d = Double.parseDouble(s);
            if (d == 0 || d == 1) {
                return (float) d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(file() + " line " + line + ": the label '" + JsonFields.printable(csv.header().get(labelColumn))
                + "' must be 0 or 1, got '" + JsonFields.printable(v) + "'");
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
        csv.close();
    }
}
