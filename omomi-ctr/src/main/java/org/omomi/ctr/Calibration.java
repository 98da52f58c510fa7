package org.omomi.ctr;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.explain.plot.LineChart;

/**
 * Predicted against observed click-through rate in buckets of equal count: the rows sorted by
 * predicted probability and cut into {@code buckets} runs of (nearly) equal size. Equal-count
 * buckets rather than equal-width ones because click probabilities crowd near 0: ten equal-width
 * buckets would put almost every impression into the first two.
 *
 * <p>Expected calibration error: ECE = Σ_b (n_b / N)·|p̄_b − ȳ_b|, the mean predicted probability
 * p̄_b against the observed click rate ȳ_b of bucket b, weighted by its share of the rows (Naeini
 * et al. 2015; with equal-count buckets it is the "adaptive" ECE). A perfectly calibrated model
 * still has an ECE of the order of the buckets' sampling noise, √(ȳ(1 − ȳ)·B/N).
 */
public record Calibration(double[] predicted, double[] observed, long[] counts, double ece) {

    /** The default number of buckets. */
    public static final int BUCKETS = 10;

    /** Buckets of these probabilities against these 0/1 labels. */
    public static Calibration of(float[] probabilities, float[] labels, int buckets) {
        int n = probabilities.length;
        if (n != labels.length) {
            throw new IllegalArgumentException("calibration: " + n + " probabilities for " + labels.length + " labels");
        }
        if (buckets < 1) {
            throw new IllegalArgumentException("calibration needs at least one bucket, got " + buckets);
        }
        int b = Math.max(1, Math.min(buckets, n));
        long[] keys = new long[n]; // probability's bits (non-negative floats sort as ints) and the row, sorted together
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) Float.floatToIntBits(Math.max(0f, probabilities[i])) << 32) | i;
        }
        Arrays.sort(keys);
        double[] p = new double[b];
        double[] o = new double[b];
        long[] c = new long[b];
        for (int k = 0; k < n; k++) {
            int i = (int) keys[k];
            int bucket = (int) ((long) k * b / n);
            p[bucket] += probabilities[i];
            o[bucket] += labels[i];
            c[bucket]++;
        }
        double ece = 0;
        for (int k = 0; k < b; k++) {
            if (c[k] > 0) {
                p[k] /= c[k];
                o[k] /= c[k];
                ece += (double) c[k] / n * Math.abs(p[k] - o[k]);
            }
        }
        return new Calibration(p, o, c, n == 0 ? Double.NaN : ece);
    }

    /** The reliability diagram: each bucket's observed rate over its mean prediction, the diagonal for perfect calibration. */
    public BufferedImage plot(String title) {
        double hi = 0;
        for (int k = 0; k < predicted.length; k++) {
            hi = Math.max(hi, Math.max(predicted[k], observed[k]));
        }
        hi = hi == 0 ? 1 : Math.min(1, hi * 1.05);
        return new LineChart(title, "mean predicted click probability (bucket of equal count)", "observed click rate")
                .guide(new double[] {0, hi}, new double[] {0, hi})
                .series(String.format(java.util.Locale.ROOT, "held-out buckets (ECE %.4f)", ece), predicted, observed)
                .markers(true)
                .render(640, 480);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("buckets", (long) counts.length);
        m.put("ece", ece);
        List<Object> rows = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("rows", counts[k]);
            r.put("mean_predicted", predicted[k]);
            r.put("observed", observed[k]);
            rows.add(r);
        }
        m.put("table", rows);
        return m;
    }
}
