package org.omomi.ctr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.omomi.data.InputsDataset;
import org.omomi.tensor.Tensor;

/**
 * The held-out rows of a click log, encoded and held in memory for the metrics after each epoch,
 * the final metrics and the explanations: at most {@code maxRows} of them (a log with more keeps
 * a uniform sample of that many in expectation, drawn by line as {@link Split} does), so memory
 * stays bounded for logs of any size.
 *
 * @param data   the inputs and labels
 * @param truth  the generator's true click probability of each row, NaN where the log has none
 * @param lines  each row's line in the log
 */
public record HeldOut(InputsDataset data, double[] truth, int[] lines) {

    /** The default bound on held-out rows in memory. */
    public static final int MAX_ROWS = 200_000;

    /** Reads the held-out rows of {@code split}, of which the first pass counted {@code heldOutRows}. */
    public static HeldOut read(ClickLog log, ClickFeatures features, Split split, long heldOutRows, int maxRows, Progress progress)
            throws IOException {
        double keep = heldOutRows <= maxRows ? 1 : (double) maxRows / heldOutRows;
        int f = features.fieldCount();
        int d = features.numericCount();
        int capacity = (int) Math.min(heldOutRows, (long) maxRows + (long) (6 * Math.sqrt(maxRows)) + 16);
        int[] ids = new int[capacity * f];
        float[] x = new float[capacity * d];
        float[] y = new float[capacity];
        double[] truth = new double[capacity];
        int[] lines = new int[capacity];
        int n = 0;
        long read = 0;
        try (LogReader reader = log.open()) {
            LogRow r;
            while ((r = reader.next()) != null) {
                if ((++read & 0x3fff) == 0) {
                    progress.update("reading the held-out rows", read, -1);
                }
                if (!split.heldOut(r.line()) || (keep < 1 && Split.unit(split.seed(), r.line(), 3) >= keep) || n == capacity) {
                    continue;
                }
                try {
                    features.encode(r.values(), reader.file(), r.line(), ids, n * f, x, n * d);
                } catch (IllegalArgumentException e) {
                    if (!log.skipBadRows()) {
                        throw e;
                    }
                    continue;
                }
                y[n] = r.label();
                truth[n] = r.truth();
                lines[n] = r.line();
                n++;
            }
        }
        progress.done();
        if (n == 0) {
            return null;
        }
        return new HeldOut(new InputsDataset(features.inputs(Arrays.copyOf(ids, n * f), Arrays.copyOf(x, n * d), n),
                Tensor.wrap(Arrays.copyOf(y, n), n)), Arrays.copyOf(truth, n), Arrays.copyOf(lines, n));
    }

    /** The first {@code limit} held-out rows of {@code split}, reading no further than they reach. */
    public static HeldOut first(ClickLog log, ClickFeatures features, Split split, int limit) throws IOException {
        int f = features.fieldCount();
        int d = features.numericCount();
        List<String[]> values = new ArrayList<>();
        List<Float> y = new ArrayList<>();
        List<Double> truth = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try (LogReader reader = log.open()) {
            LogRow r;
            while (values.size() < limit && (r = reader.next()) != null) {
                if (!split.heldOut(r.line())) {
                    continue;
                }
                try {
                    features.encode(r.values(), reader.file(), r.line(), new int[f], 0, new float[d], 0); // the check only
                } catch (IllegalArgumentException e) {
                    if (!log.skipBadRows()) {
                        throw e;
                    }
                    continue;
                }
                values.add(r.values());
                y.add(r.label());
                truth.add(r.truth());
                lines.add(r.line());
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        int[] l = lines.stream().mapToInt(Integer::intValue).toArray();
        float[] labels = new float[y.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = y.get(i);
        }
        return new HeldOut(new InputsDataset(features.encode(values, log.file(), l), Tensor.wrap(labels, labels.length)),
                truth.stream().mapToDouble(Double::doubleValue).toArray(), l);
    }

    /** Rows held. */
    public int size() {
        return data.size();
    }

    /** The labels, 0 or 1. */
    public float[] labels() {
        return data.targets().toArray();
    }

    /** Whether every row has its true probability. */
    public boolean hasTruth() {
        for (double t : truth) {
            if (Double.isNaN(t)) {
                return false;
            }
        }
        return truth.length > 0;
    }
}
