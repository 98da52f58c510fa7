package org.omomi.tensor;

import org.omomi.kernel.Parallel;

/**
 * Reduction kernels on dense arrays viewed as matrices, and the plan that reduces any axes of a
 * tensor with them (the forward of {@link Tensor#sum(int[], boolean)}, {@link Tensor#max(int[],
 * boolean)} and {@link Tensor#min(int[], boolean)}, whose backward {@code Tensor} records, and
 * {@link Tensor#argmax(int, boolean)}). Sums accumulate in double, which makes them more accurate
 * than float accumulation and independent of how the work is split, so results do not depend on
 * the thread count.
 */
final class Reduce {

    private Reduce() {}

    static final int SUM = 0;
    static final int MAX = 1;
    static final int MIN = 2;

    private static final int GRAIN = 1 << 15;

    /**
     * Reduces the given normalized axes by {@code op}, recording nothing: trailing axes as rows,
     * leading axes as columns, any other set after moving it to the end.
     */
    static Tensor reduce(Tensor input, int op, int[] axes, boolean keepDims) {
        int[] shape = input.shape;
        int[] outShape = Shapes.reduced(shape, axes, keepDims);
        float[] out = new float[Shapes.numel(outShape)];
        int reduceCount = (int) input.count(axes);
        int keepCount = out.length;
        if (reduceCount == 0) {
            if (op != SUM) {
                throw new IllegalArgumentException("cannot take the " + (op == MAX ? "max" : "min") + " over an empty axis of " + Shapes.str(shape));
            }
            return new Tensor(out, outShape);
        }
        boolean leading = true;
        boolean trailing = true;
        for (int i = 0; i < axes.length; i++) {
            leading &= axes[i] == i;
            trailing &= axes[i] == shape.length - axes.length + i;
        }
        boolean block = true; // the reduced axes are consecutive: [outer, reduced, inner]
        for (int i = 1; i < axes.length; i++) {
            block &= axes[i] == axes[i - 1] + 1;
        }
        if (trailing) {
            rows(op, input.denseData(), keepCount, reduceCount, out);
        } else if (leading) {
            columns(op, input.denseData(), reduceCount, keepCount, out);
        } else if (block && input.isDense()) {
            int inner = 1;
            for (int d = axes[axes.length - 1] + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
            middle(op, input.data, keepCount / inner, reduceCount, inner, out);
        } else {
            // Move the reduced axes to the end, make that dense, reduce rows.
            int[] perm = new int[shape.length];
            int j = 0;
            boolean[] reduced = new boolean[shape.length];
            for (int a : axes) {
                reduced[a] = true;
            }
            for (int d = 0; d < shape.length; d++) {
                if (!reduced[d]) {
                    perm[j++] = d;
                }
            }
            for (int a : axes) {
                perm[j++] = a;
            }
            Tensor moved = input.permuteView(perm);
            rows(op, moved.toArray(), keepCount, reduceCount, out);
        }
        return new Tensor(out, outShape);
    }

    /** {@link Tensor#argmax(int, boolean)}: the axis moved last, then each row's first maximum. */
    static Tensor argmax(Tensor input, int axis, boolean keepDims) {
        int[] shape = input.shape;
        int a = Shapes.axis("argmax", axis, shape.length);
        if (shape[a] == 0) {
            throw new IllegalArgumentException("argmax: axis " + axis + " of " + Shapes.str(shape) + " is empty");
        }
        if (shape[a] > (1 << 24)) {
            throw new IllegalArgumentException("argmax: axis " + axis + " has " + shape[a] + " elements; float indices are exact only up to 2^24");
        }
        int[] perm = new int[shape.length];
        int j = 0;
        for (int d = 0; d < shape.length; d++) {
            if (d != a) {
                perm[j++] = d;
            }
        }
        perm[j] = a;
        float[] x = input.permuteView(perm).toArray();
        int[] outShape = Shapes.reduced(shape, new int[] {a}, keepDims);
        float[] out = new float[Shapes.numel(outShape)];
        argmaxRows(x, out.length, shape[a], out);
        return new Tensor(out, outShape);
    }

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

    /**
     * out[o·inner + i] = op over x[(o·reduced + j)·inner + i] for j &lt; reduced: a block of middle
     * axes reduced in place, without first copying them to the end (what broadcasting's backward
     * does to a [N, k, d] gradient of a [N, 1, d] input). A sum keeps {@link #reduceRow}'s four
     * partial sums by j mod 4, so the result is the one the moved-axes path gives, bit for bit.
     */
    static void middle(int op, float[] x, int outer, int reduced, int inner, float[] out) {
        int minOuter = Math.max(1, GRAIN / Math.max(1, reduced * inner));
        int grouped = reduced - reduced % 4;
        Parallel.forRange(outer, minOuter, (o0, o1) -> {
            double[] acc = op == SUM ? new double[4 * inner] : null;
            for (int o = o0; o < o1; o++) {
                int base = o * reduced * inner;
                if (op == SUM) {
                    java.util.Arrays.fill(acc, 0);
                    for (int j = 0; j < reduced; j++) {
                        int slot = (j < grouped ? j % 4 : 0) * inner;
                        int row = base + j * inner;
                        for (int i = 0; i < inner; i++) {
                            acc[slot + i] += x[row + i];
                        }
                    }
                    for (int i = 0; i < inner; i++) {
                        out[o * inner + i] = (float) ((acc[i] + acc[inner + i]) + (acc[2 * inner + i] + acc[3 * inner + i]));
                    }
                } else {
                    for (int i = 0; i < inner; i++) {
                        float m = op == MAX ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                        for (int j = 0; j < reduced; j++) {
                            float v = x[base + j * inner + i];
                            m = op == MAX ? Math.max(m, v) : Math.min(m, v);
                        }
                        out[o * inner + i] = m;
                    }
                }
            }
        });
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
