package org.omomi.segment;

import java.util.HashMap;
import java.util.Map;

/**
 * How well two labelings of the same points agree, whatever the label values are: the adjusted
 * Rand index and normalised mutual information, as scikit-learn's {@code adjusted_rand_score} and
 * {@code normalized_mutual_info_score} (arithmetic mean, natural logarithms) define them. Both
 * are 1 for identical partitions; ARI is about 0 for independent ones.
 */
public final class Agreement {

    private Agreement() {}

    /**
     * The adjusted Rand index (Hubert and Arabie 1985), from the contingency table nᵢⱼ with row
     * sums aᵢ and column sums bⱼ:
     * <pre>
     * ARI = (Σᵢⱼ C(nᵢⱼ,2) − E) / (½[Σᵢ C(aᵢ,2) + Σⱼ C(bⱼ,2)] − E),   E = Σᵢ C(aᵢ,2)·Σⱼ C(bⱼ,2) / C(n,2)
     * </pre>
     * 1 when the denominator is 0 (both labelings put all points together, or all apart), as scikit-learn.
     */
    public static double adjustedRandIndex(int[] truth, int[] predicted) {
        long[][] table = contingency(truth, predicted);
        double sumCells = 0;
        double sumRows = 0;
        double sumCols = 0;
        long[] cols = new long[table[0].length];
        for (long[] row : table) {
            long a = 0;
            for (int j = 0; j < row.length; j++) {
                sumCells += pairs(row[j]);
                a += row[j];
                cols[j] += row[j];
            }
            sumRows += pairs(a);
        }
        for (long b : cols) {
            sumCols += pairs(b);
        }
        double expected = sumRows * sumCols / pairs(truth.length);
        double max = 0.5 * (sumRows + sumCols);
        if (max == expected) {
            return 1.0;
        }
        return (sumCells - expected) / (max - expected);
    }

    /**
     * Normalised mutual information: I(U; V) / ½[H(U) + H(V)], with I = Σᵢⱼ (nᵢⱼ/n)·ln(n·nᵢⱼ / (aᵢbⱼ))
     * and H(U) = −Σᵢ (aᵢ/n)·ln(aᵢ/n). 1 when both labelings have a single label (no entropy), 0
     * when I = 0, as scikit-learn.
     */
    public static double normalizedMutualInfo(int[] truth, int[] predicted) {
        long[][] table = contingency(truth, predicted);
        int rows = table.length;
        int colsN = table[0].length;
        if (rows == 1 && colsN == 1) {
            return 1.0;
        }
        double n = truth.length;
        long[] a = new long[rows];
        long[] b = new long[colsN];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < colsN; j++) {
                a[i] += table[i][j];
                b[j] += table[i][j];
            }
        }
        double mi = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < colsN; j++) {
                long nij = table[i][j];
                if (nij > 0) {
                    mi += nij / n * (Math.log(nij) + Math.log(n) - Math.log(a[i]) - Math.log(b[j]));
                }
            }
        }
        if (mi <= 0) {
            return 0.0;
        }
        double h = 0.5 * (entropy(a, n) + entropy(b, n));
        return mi / Math.max(h, Math.ulp(1.0));
    }

    private static double entropy(long[] counts, double n) {
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                h -= c / n * Math.log(c / n);
            }
        }
        return h;
    }

    private static double pairs(long m) {
        return m * (m - 1) / 2.0;
    }

    /** The contingency table of two labelings, rows and columns in order of first appearance. */
    static long[][] contingency(int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("the labelings have " + truth.length + " and " + predicted.length + " points");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("no points to compare");
        }
        Map<Integer, Integer> rows = new HashMap<>();
        Map<Integer, Integer> cols = new HashMap<>();
        int[] r = new int[truth.length];
        int[] c = new int[truth.length];
        for (int i = 0; i < truth.length; i++) {
            r[i] = rows.computeIfAbsent(truth[i], key -> rows.size());
            c[i] = cols.computeIfAbsent(predicted[i], key -> cols.size());
        }
        long[][] table = new long[rows.size()][cols.size()];
        for (int i = 0; i < truth.length; i++) {
            table[r[i]][c[i]]++;
        }
        return table;
    }
}
