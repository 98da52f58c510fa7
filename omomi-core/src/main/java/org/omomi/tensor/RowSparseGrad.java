package org.omomi.tensor;

import java.util.Arrays;

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
        return coalesced ? this : summed(rows, dim, RowGrouping.of(indices), values);
    }

    /**
     * The coalesced gradient of a lookup whose listed rows {@code grouping} groups, from one
     * gradient row per listed position ({@code values}, read only): the same rows and bits as
     * listing them and calling {@link #coalesce()}, without the listed copy.
     */
    static RowSparseGrad summed(int rows, int dim, RowGrouping grouping, float[] values) {
        return new RowSparseGrad(rows, dim, grouping.rows, grouping.sum(values, dim), true);
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
