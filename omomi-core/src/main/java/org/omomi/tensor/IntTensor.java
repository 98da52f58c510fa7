package org.omomi.tensor;

import java.util.Arrays;

/**
 * An n-dimensional array of int32 values in row-major order: the ids a model looks up (category
 * ids, user and item ids, hashed features), kept as whole numbers end to end.
 *
 * <p>Why not floats: a float32 holds every whole number only up to 2²⁴ = 16,777,216; a hashed id
 * above that silently becomes its neighbour (16,777,217 reads back as 16,777,216). int32 holds
 * every id below 2³¹, enough for any table that fits in a Java array. Ids carry no gradient, so
 * this class has no autograd; {@link Tensor#embedding(IntTensor, Tensor, boolean)} turns ids into
 * vectors that do.
 *
 * <p>Immutable: the values are copied in and never changed.
 */
public final class IntTensor {

    private final int[] data;
    private final int[] shape;
    private RowGrouping grouping; // of data, made on first use: the values never change

    private IntTensor(int[] data, int[] shape) {
        if (Shapes.numel(shape) != data.length) {
            throw new IllegalArgumentException("IntTensor: " + data.length + " values do not fill shape " + Shapes.str(shape));
        }
        this.data = data;
        this.shape = shape;
    }

    /** A tensor with a copy of {@code values}, laid out row-major in {@code shape}. */
    public static IntTensor of(int[] values, int... shape) {
        return new IntTensor(values.clone(), shape.clone());
    }

    /** A 1-D tensor of these values. */
    public static IntTensor vector(int... values) {
        return new IntTensor(values.clone(), new int[] {values.length});
    }

    /** Whole-number floats as ids; a value that is not a whole number in [0, 2³¹) is an error naming its position. */
    public static IntTensor fromWholeNumbers(Tensor t) {
        float[] v = t.toArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= 0x1p31f) {
                throw new IllegalArgumentException("ids: value " + v[i] + " at position " + i + " is not a whole number in [0, 2^31)");
            }
            out[i] = (int) v[i];
        }
        return new IntTensor(out, t.shape());
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    public int size(int axis) {
        return shape[Shapes.axis("size", axis, shape.length)];
    }

    public int numel() {
        return data.length;
    }

    /** The value at a full index. */
    public int get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of shape " + Shapes.str(shape));
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " is outside shape " + Shapes.str(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return data[flat];
    }

    /** A copy of the values, row-major. */
    public int[] toArray() {
        return data.clone();
    }

    /** The same values in another shape with as many elements (one dimension may be −1). */
    public IntTensor reshape(int... newShape) {
        return new IntTensor(data, Shapes.inferReshape(shape, newShape));
    }

    /** The rows (entries along the first axis) at these indices, in this order: how a batch is cut. */
    public IntTensor rows(int[] indices) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("rows: a scalar has no rows");
        }
        int inner = shape.length == 1 ? 1 : data.length / Math.max(shape[0], 1);
        int[] out = new int[indices.length * inner];
        for (int i = 0; i < indices.length; i++) {
            int r = indices[i];
            if (r < 0 || r >= shape[0]) {
                throw new IndexOutOfBoundsException("rows: index " + r + " at position " + i + " is out of range for " + shape[0] + " rows");
            }
            System.arraycopy(data, r * inner, out, i * inner, inner);
        }
        int[] s = shape.clone();
        s[0] = indices.length;
        return new IntTensor(out, s);
    }

    /** Tensors of equal trailing shape joined along the first axis. */
    public static IntTensor cat(IntTensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("cat: nothing to join");
        }
        int rows = 0;
        int total = 0;
        for (IntTensor p : parts) {
            if (p.shape.length != parts[0].shape.length || p.shape.length == 0
                    || !Arrays.equals(Arrays.copyOfRange(p.shape, 1, p.shape.length), Arrays.copyOfRange(parts[0].shape, 1, p.shape.length))) {
                throw new IllegalArgumentException("cat: shapes " + Shapes.str(parts[0].shape) + " and " + Shapes.str(p.shape) + " differ after the first axis");
            }
            rows += p.shape[0];
            total += p.data.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (IntTensor p : parts) {
            System.arraycopy(p.data, 0, out, at, p.data.length);
            at += p.data.length;
        }
        int[] s = parts[0].shape.clone();
        s[0] = rows;
        return new IntTensor(out, s);
    }

    /** The values as float32 (exact below 2²⁴), for code that needs a {@link Tensor}. */
    public Tensor toFloat() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = data[i];
        }
        return Tensor.of(f, shape);
    }

    /** Package access for kernels that only read. */
    int[] data() {
        return data;
    }

    /**
     * The values grouped by value, for summing gradient rows by table row: made once, however many
     * tables these ids index. (A race makes it twice, equal; its fields are final.)
     */
    RowGrouping grouping() {
        RowGrouping g = grouping;
        if (g == null) {
            g = RowGrouping.of(data);
            grouping = g;
        }
        return g;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IntTensor" + Shapes.str(shape) + (data.length <= 16 ? " " + Arrays.toString(data) : "");
    }
}
