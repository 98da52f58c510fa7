package org.omomi.tensor;

import java.util.Arrays;

/**
 * Walks tensors that are not laid out densely (views after permute, slice or expand).
 *
 * <p>Before walking, adjacent dimensions that are contiguous with respect to each other in every
 * operand are merged, so a view that is dense in its inner dimensions is walked as long rows.
 */
final class Strided {

    private Strided() {}

    /** A visitor of rows: {@code n} elements, at the given starting offset of each operand. */
    interface RowVisitor {
        void row(int[] offsets, int n);
    }

    /**
     * Calls {@code visitor} for every row of a shape walked jointly over several operands, each
     * with its own strides and base offset. Row i's elements in operand k are
     * {@code offsets[k] + j·innerStride[k]} for {@code j < n}; {@link #innerStrides} tells the
     * inner strides after merging.
     */
    static final class Walk {
        final int[] shape;
        final int[][] strides;
        final int[] base;

        Walk(int[] shape, int[][] strides, int[] base) {
            // Drop size-1 dimensions, then merge dimension i into i+1 when every operand allows it.
            int rank = 0;
            int[] s = new int[shape.length];
            int[][] st = new int[strides.length][shape.length];
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 1) {
                    continue;
                }
                if (rank > 0 && mergeable(st, rank - 1, strides, d, shape[d])) {
                    s[rank - 1] *= shape[d];
                    for (int k = 0; k < strides.length; k++) {
                        st[k][rank - 1] = strides[k][d];
                    }
                    continue;
                }
                s[rank] = shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][rank] = strides[k][d];
                }
                rank++;
            }
            if (rank == 0) { // a single element
                rank = 1;
                s[0] = 1;
                for (int k = 0; k < strides.length; k++) {
                    st[k][0] = 1;
                }
            }
            this.shape = Arrays.copyOf(s, rank);
            this.strides = new int[strides.length][];
            for (int k = 0; k < strides.length; k++) {
                this.strides[k] = Arrays.copyOf(st[k], rank);
            }
            this.base = base.clone();
        }

        /** Kept dimension {@code at} merges with dimension d when, in every operand, its stride is d's stride times d's size. */
        private static boolean mergeable(int[][] st, int at, int[][] strides, int d, int inner) {
            for (int k = 0; k < strides.length; k++) {
                if ((long) st[k][at] != (long) strides[k][d] * inner) {
                    return false;
                }
            }
            return true;
        }

        int innerSize() {
            return shape[shape.length - 1];
        }

        int innerStride(int operand) {
            return strides[operand][shape.length - 1];
        }

        int rows() {
            int r = 1;
            for (int d = 0; d < shape.length - 1; d++) {
                r *= shape[d];
            }
            return r;
        }

        /** Visits rows {@code [from, to)} in row-major order. */
        void forRows(int from, int to, RowVisitor visitor) {
            int rank = shape.length;
            int ops = base.length;
            int[] idx = new int[Math.max(rank - 1, 0)];
            int[] off = new int[ops];
            // Position the counter at row `from`.
            int rem = from;
            for (int d = rank - 2; d >= 0; d--) {
                idx[d] = rem % shape[d];
                rem /= shape[d];
            }
            for (int k = 0; k < ops; k++) {
                int o = base[k];
                for (int d = 0; d < rank - 1; d++) {
                    o += idx[d] * strides[k][d];
                }
                off[k] = o;
            }
            int n = innerSize();
            for (int r = from; r < to; r++) {
                visitor.row(off, n);
                // Advance the odometer.
                for (int d = rank - 2; d >= 0; d--) {
                    idx[d]++;
                    for (int k = 0; k < ops; k++) {
                        off[k] += strides[k][d];
                    }
                    if (idx[d] < shape[d]) {
                        break;
                    }
                    for (int k = 0; k < ops; k++) {
                        off[k] -= strides[k][d] * shape[d];
                    }
                    idx[d] = 0;
                }
            }
        }
    }

    /** Copies a strided view into a dense row-major array starting at {@code dst[0]}. */
    static void copy(float[] src, int srcOff, int[] shape, int[] strides, float[] dst) {
        Walk w = new Walk(shape, new int[][] {strides, Shapes.contiguousStrides(shape)}, new int[] {srcOff, 0});
        int s = w.innerStride(0);
        w.forRows(0, w.rows(), (off, n) -> {
            int from = off[0];
            int to = off[1];
            if (s == 1) {
                System.arraycopy(src, from, dst, to, n);
            } else if (s == 0) {
                Arrays.fill(dst, to, to + n, src[from]);
            } else {
                for (int j = 0; j < n; j++) {
                    dst[to + j] = src[from + j * s];
                }
            }
        });
    }

    /** Copies a dense array into a strided view (the reverse of {@link #copy}). */
    static void scatter(float[] src, float[] dst, int dstOff, int[] shape, int[] strides) {
        Walk w = new Walk(shape, new int[][] {Shapes.contiguousStrides(shape), strides}, new int[] {0, dstOff});
        int s = w.innerStride(1);
        w.forRows(0, w.rows(), (off, n) -> {
            int from = off[0];
            int to = off[1];
            if (s == 1) {
                System.arraycopy(src, from, dst, to, n);
            } else {
                for (int j = 0; j < n; j++) {
                    dst[to + j * s] = src[from + j];
                }
            }
        });
    }
}
