package org.omomi.tensor;

import org.omomi.kernel.Parallel;

/**
 * Reduction kernels on dense arrays viewed as matrices. Sums accumulate in double, which makes
 * them more accurate than float accumulation and independent of how the work is split, so results
 * do not depend on the thread count.
 */
final class Reduce {

    private Reduce() {}

    static final int SUM = 0;
    static final int MAX = 1;
    static final int MIN = 2;

    private static final int GRAIN = 1 << 15;

    /** out[o] = op over x[o·inner … o·inner + inner) for o &lt; outer. */
    static void rows(int op, float[] x, int outer, int inner, float[] out) {
        int minRows = Math.max(1, GRAIN / Math.max(1, inner));
        Parallel.forRange(outer, minRows, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                out[o] = reduceRow(op, x, o * inner, inner);
            }
        });
    }

    private static float reduceRow(int op, float[] x, int from, int n) {
        switch (op) {
            case SUM: {
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int j = 0;
                for (; j + 3 < n; j += 4) {
                    s0 += x[from + j];
                    s1 += x[from + j + 1];
                    s2 += x[from + j + 2];
                    s3 += x[from + j + 3];
                }
                for (; j < n; j++) {
                    s0 += x[from + j];
                }
                return (float) ((s0 + s1) + (s2 + s3));
            }
            case MAX: {
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    m = Math.max(m, x[from + j]); // NaN propagates
                }
                return m;
            }
            case MIN: {
                float m = Float.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    m = Math.min(m, x[from + j]);
                }
                return m;
            }
            default:
                throw new IllegalStateException("unknown reduction " + op);
        }
    }

    /** out[k] = op over x[r·cols + k] for r &lt; rows: reduces the leading dimension. */
    static void columns(int op, float[] x, int rows, int cols, float[] out) {
        int minCols = Math.max(1, GRAIN / Math.max(1, rows));
        Parallel.forRange(cols, minCols, (k0, k1) -> {
            int w = k1 - k0;
            if (op == SUM) {
                double[] acc = new double[w];
                for (int r = 0; r < rows; r++) {
                    int base = r * cols + k0;
                    for (int k = 0; k < w; k++) {
                        acc[k] += x[base + k];
                    }
                }
                for (int k = 0; k < w; k++) {
                    out[k0 + k] = (float) acc[k];
                }
            } else {
                float init = op == MAX ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                java.util.Arrays.fill(out, k0, k1, init);
                for (int r = 0; r < rows; r++) {
                    int base = r * cols;
                    for (int k = k0; k < k1; k++) {
                        out[k] = op == MAX ? Math.max(out[k], x[base + k]) : Math.min(out[k], x[base + k]);
                    }
                }
            }
        });
    }

    /** Index of the first maximum of each row; NaN counts as the maximum, as in PyTorch. */
    static void argmaxRows(float[] x, int outer, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            int base = o * inner;
            int best = 0;
            float m = x[base];
            if (!Float.isNaN(m)) {
                for (int j = 1; j < inner; j++) {
                    float v = x[base + j];
                    if (Float.isNaN(v)) {
                        best = j;
                        break;
                    }
                    if (v > m) {
                        m = v;
                        best = j;
                    }
                }
            }
            out[o] = best;
        }
    }
}
