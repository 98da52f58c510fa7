package org.omomi.segment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.tensor.Tensor;

/**
 * Puts numeric features on comparable scales before distances are taken, learned from the rows
 * it is fitted on and saved with the segments, so new customers are scaled the same way:
 * x′ = (t(x) − centre) / scale per feature.
 *
 * <ul>
 * <li>{@code standard}: t(x) = x, centre the mean, scale the population standard deviation.</li>
 * <li>{@code robust}: centre the median, scale the interquartile range (linear interpolation of
 *     the sorted values, as numpy's default percentile).</li>
 * <li>{@code minmax}: centre the minimum, scale the range, so the rows fall in [0, 1].</li>
 * <li>{@code log}: t(x) = ln(1 + x), then standard; for skewed amounts and counts (x > −1).</li>
 * <li>{@code none}: x′ = x.</li>
 * </ul>
 * A scale of 0 (a constant feature) is taken as 1. Features marked as indicators (one-hot columns
 * of a categorical feature) are left as 0/1 by every kind: a change of category then costs a
 * squared distance of 2, about what one standard deviation in two features costs.
 */
public record Scaling(Kind kind, float[] centre, float[] scale, boolean[] indicator) {

    /** The kinds of scaling; {@link #STANDARD} is the default. */
    public enum Kind {
        NONE, STANDARD, ROBUST, MINMAX, LOG;

        /** The kind by its lower-case name; errors list the names. */
        public static Kind named(String name) {
            for (Kind k : values()) {
                if (k.label().equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown scaling '" + name + "'; known: none, standard, robust, minmax, log");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Scaling {
        if (centre.length != scale.length || centre.length != indicator.length) {
            throw new IllegalArgumentException("scaling: centre, scale and indicator must have one entry per feature");
        }
    }

    /** Learns a scaling of the given kind from x [n, d]; {@code indicator[j]} leaves feature j as it is. */
    public static Scaling fit(Kind kind, Tensor x, boolean[] indicator, List<String> names) {
        int n = x.size(0);
        int d = x.size(1);
        float[] v = x.contiguous().toArray();
        float[] centre = new float[d];
        float[] scale = new float[d];
        Arrays.fill(scale, 1f);
        for (int j = 0; j < d; j++) {
            if (indicator[j] || kind == Kind.NONE) {
                continue;
            }
            double[] col = new double[n];
            for (int i = 0; i < n; i++) {
                col[i] = kind == Kind.LOG ? log1p(v[i * d + j], names.get(j), i) : v[i * d + j];
            }
            double c;
            double s;
            switch (kind) {
                case ROBUST -> {
                    double[] sorted = col.clone();
                    Arrays.sort(sorted);
                    c = percentile(sorted, 0.5);
                    s = percentile(sorted, 0.75) - percentile(sorted, 0.25);
                }
                case MINMAX -> {
                    c = Arrays.stream(col).min().getAsDouble();
                    s = Arrays.stream(col).max().getAsDouble() - c;
                }
                default -> {
                    double sum = 0;
                    for (double a : col) {
                        sum += a;
                    }
                    c = sum / n;
                    double ss = 0;
                    for (double a : col) {
                        ss += (a - c) * (a - c);
                    }
                    s = Math.sqrt(ss / n);
                }
            }
            centre[j] = (float) c;
            scale[j] = s > 0 && Double.isFinite(s) ? (float) s : 1f;
        }
        return new Scaling(kind, centre, scale, indicator.clone());
    }

    /** x′ for x [n, d]: a new tensor. */
    public Tensor apply(Tensor x, List<String> names) {
        int d = centre.length;
        if (x.dim() != 2 || x.size(1) != d) {
            throw new IllegalArgumentException("the scaling takes [n, " + d + "] features, got " + Arrays.toString(x.shape()));
        }
        float[] v = x.contiguous().toArray();
        int n = x.size(0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (indicator[j] || kind == Kind.NONE) {
                    continue;
                }
                double a = kind == Kind.LOG ? log1p(v[i * d + j], names.get(j), i) : v[i * d + j];
                v[i * d + j] = (float) ((a - centre[j]) / scale[j]);
            }
        }
        return Tensor.wrap(v, n, d);
    }

    private static double log1p(float value, String name, int row) {
        if (!(value > -1)) {
            throw new IllegalArgumentException("feature '" + name + "', row " + (row + 1) + ": " + value
                    + " has no logarithm of 1 + x; the log scaling needs values above −1");
        }
        return Math.log1p(value);
    }

    /** The q-quantile of sorted values, linearly interpolated (numpy's default). */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.label());
        m.put("centre", centre.clone());
        m.put("scale", scale.clone());
        List<Object> ind = new java.util.ArrayList<>();
        for (boolean b : indicator) {
            ind.add(b);
        }
        m.put("indicator", ind);
        return m;
    }

    public static Scaling fromJson(Map<String, Object> json) {
        List<?> ind = JsonFields.list(json, "indicator");
        boolean[] indicator = new boolean[ind.size()];
        for (int i = 0; i < indicator.length; i++) {
            indicator[i] = Boolean.TRUE.equals(ind.get(i));
        }
        return new Scaling(Kind.named(JsonFields.string(json, "kind")), JsonFields.floats(json, "centre"), JsonFields.floats(json, "scale"), indicator);
    }
}
