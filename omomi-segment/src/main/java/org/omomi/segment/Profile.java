package org.omomi.segment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a segment looks like, in the customers' own units (before scaling): its size, each
 * feature's mean and spread, and the features that set it apart from the rest, largest
 * standardised difference first: (mean in the segment − mean of the rest) / standard deviation over
 * all customers.
 *
 * @param segment     the segment's number
 * @param size        its customers
 * @param share       size / all customers
 * @param mean        [features], the segment's means (for an indicator, the share with that category)
 * @param std         [features], the segment's population standard deviations
 * @param distinctive up to {@value #SHOWN} features with |difference| ≥ {@value #NOTABLE}, largest first
 */
public record Profile(int segment, int size, double share, double[] mean, double[] std, List<Difference> distinctive) {

    /** Features listed per segment at most. */
    public static final int SHOWN = 3;
    /** The smallest standardised difference worth a mention. */
    public static final double NOTABLE = 0.25;

    /** One feature's difference between a segment and the rest. */
    public record Difference(String feature, boolean indicator, double segmentMean, double restMean, double standardised) {

        /** "much higher", "higher" or "slightly higher" (or lower), by |standardised| ≥ 1, ≥ 0.5, else. */
        public String words() {
            double a = Math.abs(standardised);
            String how = a >= 1 ? "much " : a >= 0.5 ? "" : "slightly ";
            return how + (standardised > 0 ? "higher" : "lower");
        }
    }

    /** The profiles of segments 0 … k−1 of the customers (raw values [n, features]) by their labels. */
    public static List<Profile> of(Customers customers, boolean[] indicator, int[] labels, int k) {
        int n = customers.size();
        int d = customers.features().size();
        float[] v = customers.values().contiguous().toArray();
        double[] allMean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                allMean[j] += v[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            allMean[j] /= n;
        }
        double[] allStd = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double a = v[i * d + j] - allMean[j];
                allStd[j] += a * a;
            }
        }
        for (int j = 0; j < d; j++) {
            allStd[j] = Math.sqrt(allStd[j] / n);
        }
        List<Profile> out = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            double[] mean = new double[d];
            double[] sq = new double[d];
            int size = 0;
            for (int i = 0; i < n; i++) {
                if (labels[i] != s) {
                    continue;
                }
                size++;
                for (int j = 0; j < d; j++) {
                    mean[j] += v[i * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= Math.max(1, size);
            }
            for (int i = 0; i < n; i++) {
                if (labels[i] == s) {
                    for (int j = 0; j < d; j++) {
                        double a = v[i * d + j] - mean[j];
                        sq[j] += a * a;
                    }
                }
            }
            double[] std = new double[d];
            List<Difference> diffs = new ArrayList<>();
            for (int j = 0; j < d; j++) {
                std[j] = Math.sqrt(sq[j] / Math.max(1, size));
                if (size == n || allStd[j] == 0) {
                    continue;
                }
                double rest = (allMean[j] * n - mean[j] * size) / (n - size);
                double z = (mean[j] - rest) / allStd[j];
                if (Math.abs(z) >= NOTABLE) {
                    diffs.add(new Difference(customers.features().get(j), indicator[j], mean[j], rest, z));
                }
            }
            diffs.sort(Comparator.comparingDouble((Difference x) -> -Math.abs(x.standardised())).thenComparing(Difference::feature));
            out.add(new Profile(s, size, (double) size / n, mean, std, List.copyOf(diffs.subList(0, Math.min(SHOWN, diffs.size())))));
        }
        return out;
    }

    /**
     * The profile in one sentence, e.g. "segment 1: 498 customers (24.9%); basket_value much higher
     * (80.1 against 55.2, +1.6 sd); visits_per_month much lower (3.0 against 7.1, −1.4 sd)".
     */
    public String description() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "segment %d: %d customers (%.1f%%)", segment, size, 100 * share));
        if (distinctive.isEmpty()) {
            sb.append("; no feature sets it apart");
        }
        for (Difference x : distinctive) {
            sb.append("; ").append(x.feature()).append(' ').append(x.words()).append(" (");
            if (x.indicator()) {
                sb.append(String.format(Locale.ROOT, "%.0f%% against %.0f%%", 100 * x.segmentMean(), 100 * x.restMean()));
            } else {
                sb.append(number(x.segmentMean())).append(" against ").append(number(x.restMean()));
            }
            sb.append(String.format(Locale.ROOT, ", %+.1f sd)", x.standardised()).replace('-', '−'));
        }
        return sb.toString();
    }

    /** Three significant digits, without exponent for everyday magnitudes. */
    static String number(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        int decimals = Math.max(0, 2 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
