package org.omomi.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed-bin histogram of the finite values of an array: {@code bins} equal bins over
 * [min, max] of the finite values (the last bin includes max). NaN, +∞ and −∞ are counted apart,
 * never binned, so the counts add up to the number of finite values. A constant array puts all of
 * it in one bin over [v, v]; an empty (or all non-finite) array has no bins.
 */
public record Histogram(double lo, double hi, long[] counts, long nan, long posInf, long negInf) {

    public static Histogram of(float[] values, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        long nan = 0;
        long pos = 0;
        long neg = 0;
        long finite = 0;
        for (float v : values) {
            if (Float.isNaN(v)) {
                nan++;
            } else if (v == Float.POSITIVE_INFINITY) {
                pos++;
            } else if (v == Float.NEGATIVE_INFINITY) {
                neg++;
            } else {
                finite++;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (finite == 0) {
            return new Histogram(Double.NaN, Double.NaN, new long[0], nan, pos, neg);
        }
        if (lo == hi) {
            return new Histogram(lo, hi, new long[] {finite}, nan, pos, neg);
        }
        long[] counts = new long[bins];
        double width = (hi - lo) / bins;
        for (float v : values) {
            if (Float.isFinite(v)) {
                int b = (int) ((v - lo) / width);
                counts[Math.min(b, bins - 1)]++;
            }
        }
        return new Histogram(lo, hi, counts, nan, pos, neg);
    }

    /** JSON-ready form: {"lo", "hi", "counts", "nan", "pos_inf", "neg_inf"}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lo", lo);
        m.put("hi", hi);
        java.util.List<Object> c = new java.util.ArrayList<>();
        for (long n : counts) {
            c.add(n);
        }
        m.put("counts", c);
        m.put("nan", nan);
        m.put("pos_inf", posInf);
        m.put("neg_inf", negInf);
        return m;
    }

    /** Reads {@link #toJson()}'s form back (an empty histogram when absent). */
    public static Histogram fromJson(Map<String, Object> m) {
        long[] counts;
        if (m.get("counts") instanceof java.util.List<?> c) {
            counts = new long[c.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = ((Number) c.get(i)).longValue();
            }
        } else {
            counts = new long[0];
        }
        return new Histogram(RunLog.number(m, "lo"), RunLog.number(m, "hi"), counts, count(m, "nan"), count(m, "pos_inf"), count(m, "neg_inf"));
    }

    private static long count(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }
}
