package org.omomi.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Summary statistics of one tensor's values, as the run log records them for weights and
 * gradients: mean, standard deviation (population), min, max, L2 norm and the fraction of exact
 * zeros, over the finite values, plus a {@link Histogram}.
 */
public record TensorStats(double mean, double std, double min, double max, double l2, double zeroFraction, Histogram histogram) {

    /** Bins of the histograms in the run log. */
    public static final int BINS = 30;

    public static TensorStats of(float[] v) {
        double sum = 0;
        double sq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long zeros = 0;
        long n = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                continue;
            }
            n++;
            sum += x;
            sq += (double) x * x;
            min = Math.min(min, x);
            max = Math.max(max, x);
            if (x == 0f) {
                zeros++;
            }
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double var = n == 0 ? Double.NaN : Math.max(0, sq / n - mean * mean);
        return new TensorStats(mean, Math.sqrt(var), n == 0 ? Double.NaN : min, n == 0 ? Double.NaN : max,
                Math.sqrt(sq), v.length == 0 ? Double.NaN : (double) zeros / v.length, Histogram.of(v, BINS));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("std", std);
        m.put("min", min);
        m.put("max", max);
        m.put("l2", l2);
        m.put("zero_fraction", zeroFraction);
        m.put("histogram", histogram.toJson());
        return m;
    }
}
