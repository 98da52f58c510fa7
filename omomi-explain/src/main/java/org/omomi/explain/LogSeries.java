package org.omomi.explain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omomi.train.RunLog;

/**
 * A run's {@code history.jsonl} (format {@code omomi.runlog/1}, docs/runlog.md) as series for
 * plotting. The file is read by core's {@link RunLog} — the same code that wrote it — and each
 * record is looked at through its JSON form, so a picture can ask for any field by path. A missing
 * field or a non-finite value (written as {@code null}) gives NaN, so logs written before a field
 * existed, and diverged runs, still plot.
 */
public final class LogSeries {

    private final List<Map<String, Object>> epochs = new ArrayList<>();
    private final List<Map<String, Object>> steps = new ArrayList<>();

    private LogSeries() {}

    /** Reads the file; a line that is not a run-log line is an error naming the file and line. */
    public static LogSeries read(Path file) throws IOException {
        return of(RunLog.read(file));
    }

    /** The series of a run log already read (a run in progress, say). */
    public static LogSeries of(RunLog log) {
        LogSeries s = new LogSeries();
        log.epochs().forEach(e -> s.epochs.add(e.toJson()));
        log.steps().forEach(e -> s.steps.add(e.toJson()));
        return s;
    }

    public List<Map<String, Object>> epochs() {
        return epochs;
    }

    public List<Map<String, Object>> steps() {
        return steps;
    }

    /** 1, 2, … : the epoch numbers. */
    public double[] epochNumbers() {
        return epochSeries("epoch");
    }

    /** A number found by a path of keys in each epoch record, e.g. ("val", "accuracy"). */
    public double[] epochSeries(String... path) {
        double[] out = new double[epochs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(epochs.get(i), path);
        }
        return out;
    }

    /** The same for the step records. */
    public double[] stepSeries(String... path) {
        double[] out = new double[steps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(steps.get(i), path);
        }
        return out;
    }

    /** Metric names present under "train" or "val" in any epoch, in first-seen order. */
    public Set<String> metricNames(String split) {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> e : epochs) {
            if (e.get(split) instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> names.add(String.valueOf(k)));
            }
        }
        return names;
    }

    /** Parameter names (state-dict keys) of the last epoch, in model order. */
    public List<String> parameterNames() {
        if (epochs.isEmpty() || !(epochs.get(epochs.size() - 1).get("params") instanceof Map<?, ?> p)) {
            return List.of();
        }
        return p.keySet().stream().map(String::valueOf).toList();
    }

    /** Module names with dead-ReLU records, in model order. */
    public List<String> activationNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> e : epochs) {
            if (e.get("activations") instanceof Map<?, ?> a) {
                a.keySet().forEach(k -> names.add(String.valueOf(k)));
            }
        }
        return new ArrayList<>(names);
    }

    /** The raw value at a path of keys, or null. */
    public static Object at(Map<String, Object> record, String... path) {
        Object o = record;
        for (String k : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(k);
        }
        return o;
    }

    static double number(Map<String, Object> record, String... path) {
        return at(record, path) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /**
     * A histogram record {"lo", "hi", "counts", …} of the run log. A tensor with no finite value has
     * no bins, and then lo and hi are NaN (written NaN, or null by writers that keep to strict JSON).
     */
    public record Hist(double lo, double hi, long[] counts) {

        /**
         * The histogram of a run-log value, or null when there is none or it cannot be drawn: not
         * a record, counts missing or not all non-negative numbers, or bins without a finite lo ≤ hi.
         */
        static Hist of(Object o) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("counts") instanceof List<?> c)) {
                return null;
            }
            long[] counts = new long[c.size()];
            for (int i = 0; i < counts.length; i++) {
                if (!(c.get(i) instanceof Number n) || !(n.doubleValue() >= 0)) {
                    return null;
                }
                counts[i] = n.longValue();
            }
            double lo = m.get("lo") instanceof Number n ? n.doubleValue() : Double.NaN;
            double hi = m.get("hi") instanceof Number n ? n.doubleValue() : Double.NaN;
            if (counts.length > 0 && !(Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi)) {
                return null;
            }
            return new Hist(lo, hi, counts);
        }

        /** The q-th percentile (0–100), by linear interpolation within the bin that holds it; for logs written before percentiles were recorded. */
        public double percentile(double q) {
            long total = 0;
            for (long n : counts) {
                total += n;
            }
            if (total == 0) {
                return Double.NaN;
            }
            if (counts.length == 1) {
                return lo;
            }
            double width = (hi - lo) / counts.length;
            double want = q / 100 * total;
            long seen = 0;
            for (int b = 0; b < counts.length; b++) {
                if (seen + counts[b] >= want && counts[b] > 0) {
                    return lo + width * (b + (want - seen) / counts[b]);
                }
                seen += counts[b];
            }
            return hi;
        }
    }

    /** The weight (or "grad") histogram of a parameter in each epoch; null entries where absent. */
    public List<Hist> histograms(String parameter, String which) {
        List<Hist> out = new ArrayList<>();
        for (Map<String, Object> e : epochs) {
            out.add(Hist.of(at(e, "params", parameter, which, "histogram")));
        }
        return out;
    }

    /**
     * Percentile series of a parameter's weights (or gradients): for each recorded key (p2.3 … p97.7)
     * the values over epochs, read from the log or, in older logs, estimated from the histogram.
     */
    public double[] percentileSeries(String parameter, String which, String key, double q) {
        double[] out = new double[epochs.size()];
        for (int i = 0; i < out.length; i++) {
            Map<String, Object> e = epochs.get(i);
            double v = number(e, "params", parameter, which, "percentiles", key);
            if (Double.isNaN(v)) {
                Hist h = Hist.of(at(e, "params", parameter, which, "histogram"));
                v = h == null ? Double.NaN : h.percentile(q);
            }
            out[i] = v;
        }
        return out;
    }
}
