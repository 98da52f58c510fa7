package org.omomi.tensor;

import java.util.Arrays;
import org.omomi.kernel.Parallel;

/**
 * The gradient of a lookup table when a batch touched only some of its rows: the row indices and
 * one gradient row per index, as PyTorch's sparse COO gradient of {@code nn.Embedding(sparse=True)}.
 * A batch of 4,096 ids into a 10⁷-row table carries 4,096 rows here instead of 10⁷.
 *
 * <p>Indices may repeat until {@link #coalesce()} sums them (in order of appearance, so the sum is
 * deterministic). Optimizers update only the rows listed ({@code Sgd}, {@code Adagrad}, and
 * {@code Adam} as PyTorch's {@code SparseAdam}). Immutable.
 */
public final class RowSparseGrad {

    private final int rows;
    private final int dim;
    private final int[] indices;
    private final float[] values; // indices.length × dim, row-major
    private final boolean coalesced;

    private RowSparseGrad(int rows, int dim, int[] indices, float[] values, boolean coalesced) {
        if (values.length != (long) indices.length * dim) {
            throw new IllegalArgumentException("RowSparseGrad: " + values.length + " values for " + indices.length + " rows of " + dim);
        }
        this.rows = rows;
        this.dim = dim;
        this.indices = indices;
        this.values = values;
        this.coalesced = coalesced;
    }

    /** Gradient rows for a table of {@code rows} × {@code dim}; the arrays are copied; indices are checked. */
    public static RowSparseGrad of(int rows, int dim, int[] indices, float[] values) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= rows) {
                throw new IndexOutOfBoundsException("RowSparseGrad: row " + indices[i] + " at position " + i + " is outside [0, " + rows + ")");
            }
        }
        return new RowSparseGrad(rows, dim, indices.clone(), values.clone(), false);
    }

    /** Wraps arrays the caller hands over (not copied); for kernels in this package. */
    static RowSparseGrad wrap(int rows, int dim, int[] indices, float[] values) {
        return new RowSparseGrad(rows, dim, indices, values, false);
    }

    /** Rows of the whole table. */
    public int tableRows() {
        return rows;
    }

    /** Values per row. */
    public int dim() {
        return dim;
    }

    /** The shape of the dense gradient this stands for: [rows, dim]. */
    public int[] shape() {
        return new int[] {rows, dim};
    }

    /** Listed rows (with repeats unless coalesced). */
    public int nnzRows() {
        return indices.length;
    }

    /** The row indices, a copy. */
    public int[] indices() {
        return indices.clone();
    }

    /** The gradient rows, indices.length × dim row-major, a copy. */
    public float[] values() {
        return values.clone();
    }

    int[] indexArray() {
        return indices;
    }

    float[] valueArray() {
        return values;
    }

    /**
     * Each row once, in increasing order, with repeated rows summed in the order they appear; what
     * PyTorch's {@code coalesce()} gives (up to the summation order of repeats).
     */
    public RowSparseGrad coalesce() {
        if (coalesced) {
            return this;
        }
        int n = indices.length;
        int[] order = byRow(indices, rows);
        int[] start = new int[n + 1]; // where each distinct row's run begins in order
        int unique = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || indices[order[i]] != indices[order[i - 1]]) {
                start[unique++] = i;
            }
        }
        start[unique] = n;
        int[] idx = new int[unique];
        float[] val = new float[unique * dim];
        // Each output row sums its own run, in order of appearance, so splitting the rows over the
        // threads cannot change a sum; the gather of the runs' rows is latency-bound.
        Parallel.forRange(unique, Math.max(1, COALESCE_VALUES_PER_CHUNK / Math.max(1, dim)), (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int first = order[start[u]];
                idx[u] = indices[first];
                System.arraycopy(values, first * dim, val, u * dim, dim);
                for (int i = start[u] + 1; i < start[u + 1]; i++) {
                    int src = order[i] * dim;
                    for (int k = 0; k < dim; k++) {
                        val[u * dim + k] += values[src + k];
                    }
                }
            }
        });
        return new RowSparseGrad(rows, dim, idx, val, true);
    }

    /** Values of a coalesced gradient below which its rows are summed on the calling thread. */
    private static final int COALESCE_VALUES_PER_CHUNK = 1 << 14;

    /** Lists shorter than this are ordered by one comparison sort; longer ones by radix passes. */
    static final int RADIX_FROM = 2048;
    private static final int RADIX_BITS = 11;

    /**
     * The positions 0…n−1 ordered by row, and positions of one row in increasing order: the order
     * in which {@link #coalesce} sums repeats. Short lists sort (row, position) pairs packed into
     * longs; long ones (a batch of 1,024 clicks over 26 fields lists 26,624 rows) take stable
     * counting passes of {@value #RADIX_BITS} bits over the row, two for a table of 2²⁰ rows, an
     * eighth of the sort's time. Both give the same order.
     */
    static int[] byRow(int[] indices, int tableRows) {
        int n = indices.length;
        int[] order = new int[n];
        if (n < RADIX_FROM) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = ((long) indices[i] << 32) | i;
            }
            Arrays.sort(keys);
            for (int i = 0; i < n; i++) {
                order[i] = (int) keys[i];
            }
            return order;
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, tableRows - 1));
        int[] next = new int[n];
        int[] count = new int[(1 << RADIX_BITS) + 1];
        for (int shift = 0; shift < bits; shift += RADIX_BITS) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[((indices[i] >>> shift) & ((1 << RADIX_BITS) - 1)) + 1]++;
            }
            for (int d = 1; d < count.length; d++) {
                count[d] += count[d - 1];
            }
            for (int i = 0; i < n; i++) {
                int p = order[i];
                next[count[(indices[p] >>> shift) & ((1 << RADIX_BITS) - 1)]++] = p;
            }
            int[] t = order;
            order = next;
            next = t;
        }
        return order;
    }

    /** This gradient and another of the same table, listed together (not yet coalesced). */
    public RowSparseGrad plus(RowSparseGrad other) {
        if (other.rows != rows || other.dim != dim) {
            throw new IllegalArgumentException("RowSparseGrad: tables " + rows + "×" + dim + " and " + other.rows + "×" + other.dim + " differ");
        }
        int[] idx = Arrays.copyOf(indices, indices.length + other.indices.length);
        System.arraycopy(other.indices, 0, idx, indices.length, other.indices.length);
        float[] val = Arrays.copyOf(values, values.length + other.values.length);
        System.arraycopy(other.values, 0, val, values.length, other.values.length);
        return new RowSparseGrad(rows, dim, idx, val, false);
    }

    /** Every value times {@code c} (gradient clipping). */
    public RowSparseGrad times(float c) {
        float[] val = new float[values.length];
        for (int i = 0; i < val.length; i++) {
            val[i] = values[i] * c;
        }
        return new RowSparseGrad(rows, dim, indices, val, coalesced);
    }

    /** Σ g² over the coalesced gradient, in double: its contribution to a gradient norm. */
    public double sumOfSquares() {
        float[] v = coalesce().values;
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return s;
    }

    /** The dense [rows, dim] gradient this stands for. */
    public Tensor toDense() {
        float[] out = new float[rows * dim];
        for (int i = 0; i < indices.length; i++) {
            int dst = indices[i] * dim;
            for (int k = 0; k < dim; k++) {
                out[dst + k] += values[i * dim + k];
            }
        }
        return Tensor.wrap(out, rows, dim);
    }

    @Override
    public String toString() {
        return "RowSparseGrad[" + rows + "×" + dim + ", " + indices.length + " rows]";
    }
}
