package org.omomi.recommend;

import java.util.Arrays;
import java.util.Locale;

/**
 * Recency's half-life: read from the command line ({@code 30d}, {@code 12h}, {@code 90m},
 * {@code 3600s} or a bare number of timestamp units), written for people, and, when not given,
 * derived from the data as ten times the median gap between a user's consecutive training
 * interactions — so the tenth-latest interaction counts about half as much as the latest,
 * whatever unit the timestamps are in. Data without timestamps counts in interactions (10).
 */
public final class HalfLife {

    /** The default's multiple of the median gap. */
    public static final int GAPS = 10;

    private HalfLife() {}

    /** Seconds (the unit of MovieLens and generated timestamps) from {@code 30d}, {@code 12h}, {@code 90m}, {@code 60s} or a number. */
    public static double parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double unit = 1;
        if (t.endsWith("d")) {
            unit = 86_400;
        } else if (t.endsWith("h")) {
            unit = 3_600;
        } else if (t.endsWith("m")) {
            unit = 60;
        }
        if (unit != 1 || t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t) * unit;
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("half-life '" + text + "' is not a positive duration (e.g. 30d, 12h, 90m, 3600s)");
        }
    }

    /** Days, hours, minutes or seconds, whichever reads best. */
    public static String format(double seconds) {
        if (seconds >= 86_400) {
            return String.format(Locale.ROOT, "%.1f days", seconds / 86_400);
        }
        if (seconds >= 3_600) {
            return String.format(Locale.ROOT, "%.1f hours", seconds / 3_600);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%.1f minutes", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.3g seconds", seconds);
    }

    /** Ten times the median gap between consecutive training interactions of a user (10 without timestamps). */
    public static double fromData(Interactions data, Split split) {
        if (!data.hasTimestamps()) {
            return GAPS;
        }
        int[][] byUser = data.byUser();
        long[] gaps = new long[data.size()];
        int n = 0;
        for (int[] rows : byUser) {
            long prev = Interactions.NO_TIME;
            for (int k : rows) {
                if (split.label(k) != Split.TRAIN) {
                    continue;
                }
                if (prev != Interactions.NO_TIME) {
                    gaps[n++] = data.time(k) - prev;
                }
                prev = data.time(k);
            }
        }
        if (n == 0) {
            return GAPS;
        }
        long[] g = Arrays.copyOf(gaps, n);
        Arrays.sort(g);
        return Math.max(1, GAPS * (double) g[n / 2]);
    }
}
