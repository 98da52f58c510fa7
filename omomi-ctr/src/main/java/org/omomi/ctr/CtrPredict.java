package org.omomi.ctr;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.omomi.data.Csv;
import org.omomi.io.AtomicFile;
import org.omomi.io.SavedModel;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * Click probabilities for a log, streamed: rows are read, encoded with the run's saved feature
 * processing and scored in slices of {@value #SLICE}, and written in input order, so memory is
 * one slice whatever the file's size. The output is written atomically: it appears complete, or
 * (after an error) not at all.
 *
 * <ul>
 * <li>CSV in: the input's columns as they were, plus {@code probability} (the label may be absent).</li>
 * <li>Criteo in (with or without its label): a CSV of {@code line,probability}, the input line of each row.</li>
 * </ul>
 * Malformed rows stop with an error naming the file and line, or with {@code skipBadRows} are left
 * out and counted.
 */
public final class CtrPredict {

    /** Rows scored per forward pass. */
    static final int SLICE = 4096;

    /** What a prediction pass did. */
    public record Result(long rows, long skipped, String firstSkipped, double meanProbability) {}

    private CtrPredict() {}

    /** Scores {@code input} (in the run's log format unless {@code format} is given) into {@code output}. */
    public static Result predict(Path runDir, Path input, LogFormat format, Path output, boolean skipBadRows, Progress progress)
            throws IOException {
        SavedModel saved = SavedModel.open(runDir);
        if (!(saved.preprocessing() instanceof ClickFeatures features)) {
            throw new IllegalArgumentException(runDir + ": not a click model (its preprocessing is not " + ClickFeatures.FORMAT + ")");
        }
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException(input + ": no such file");
        }
        LogFormat fmt = format != null ? format : features.source();
        if (fmt != features.source()) {
            throw new IllegalArgumentException(input + ": the model reads " + features.source().label() + " logs, not " + fmt.label());
        }
        Module model = saved.build();
        ClickLog log = new ClickLog(input, fmt, features.label(), java.util.Set.of(), skipBadRows);
        long[] counts = new long[2]; // rows, skipped
        double[] sum = new double[1];
        String[] firstSkipped = new String[1];
        Files.createDirectories(output.toAbsolutePath().getParent());
        AtomicFile.write(output, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            try (LogReader reader = log.openFor(features.fields())) {
                List<String> header = fmt == LogFormat.CSV ? ((CsvLogReader) reader).header() : null;
                List<String[]> full = new ArrayList<>();
                if (header != null) {
                    List<String> h = new ArrayList<>(header);
                    h.add("probability");
                    w.write(csvLine(h.toArray(new String[0])));
                } else {
                    w.write("line,probability\n");
                }
                int f = features.fieldCount();
                int d = features.numericCount();
                int[] ids = new int[SLICE * f];
                float[] x = new float[SLICE * d];
                int[] lines = new int[SLICE];
                int n = 0;
                CsvLogReader csv = header != null ? (CsvLogReader) reader : null;
                LogRow r;
                while ((r = reader.next()) != null) {
                    try {
                        features.encode(r.values(), input, r.line(), ids, n * f, x, n * d);
                    } catch (IllegalArgumentException e) {
                        if (!skipBadRows) {
                            throw e;
                        }
                        counts[1]++;
                        if (firstSkipped[0] == null) {
                            firstSkipped[0] = e.getMessage();
                        }
                        continue;
                    }
                    lines[n] = r.line();
                    if (csv != null) {
                        full.add(csv.lastFields());
                    }
                    if (++n == SLICE) {
                        write(w, model, features, ids, x, lines, full, n, sum);
                        counts[0] += n;
                        n = 0;
                        full.clear();
                        progress.update("predicting", counts[0], -1);
                    }
                }
                if (n > 0) {
                    write(w, model, features, ids, x, lines, full, n, sum);
                    counts[0] += n;
                }
                counts[1] += reader.skipped();
                if (firstSkipped[0] == null) {
                    firstSkipped[0] = reader.firstSkipped();
                }
            }
            w.flush();
        });
        progress.done();
        return new Result(counts[0], counts[1], firstSkipped[0], counts[0] == 0 ? Double.NaN : sum[0] / counts[0]);
    }

    private static void write(Writer w, Module model, ClickFeatures features, int[] ids, float[] x, int[] lines, List<String[]> full,
                              int n, double[] sum) throws IOException {
        int f = features.fieldCount();
        int d = features.numericCount();
        float[] p;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor out = model.call(features.inputs(java.util.Arrays.copyOf(ids, n * f), java.util.Arrays.copyOf(x, n * d), n));
            p = ClickMetrics.probabilities(out);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sum[0] += p[i];
            String prob = String.format(java.util.Locale.ROOT, "%.6f", p[i]);
            if (full.isEmpty()) {
                sb.append(lines[i]).append(',').append(prob).append('\n');
            } else {
                String[] row = java.util.Arrays.copyOf(full.get(i), full.get(i).length + 1);
                row[row.length - 1] = prob;
                sb.append(csvLine(row));
            }
        }
        w.write(sb.toString());
    }

    /** One CSV record, quoted where needed, as {@link Csv#format} writes them. */
    static String csvLine(String[] fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = fields[i];
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.append('\n').toString();
    }
}
