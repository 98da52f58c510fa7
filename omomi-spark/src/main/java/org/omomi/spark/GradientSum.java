package org.omomi.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.omomi.tensor.RowSparseGrad;
import org.omomi.tensor.Tensor;
import org.omomi.train.Gradients;

/**
 * Core's {@link Gradients} in a form Spark can ship between executors and the driver (plain arrays,
 * so both Java serialization and Kryo's field serializer handle it), plus the model's buffers
 * (batch-norm running statistics) weighted by each part's examples, so the driver can take their
 * example-weighted mean.
 *
 * <p>{@link #plus} is {@link Gradients#plus}: dense slots added element-wise, row-sparse slots
 * listed together and coalesced (each row once, ascending, repeats summed in order), loss sums,
 * correct counts and examples added. {@link #zero} is its identity exactly, it is commutative
 * exactly (float addition is), and associative up to float rounding; {@link TreeSum} fixes the
 * bracketing. Immutable.
 */
public final class GradientSum implements Summable<GradientSum> {

    private static final long serialVersionUID = 1L;

    private final float[][] dense;      // per parameter, or null
    private final int[][] denseShape;
    private final int[] tableRows;      // per parameter: the table's rows when row-sparse, else −1
    private final int[] tableDim;
    private final int[][] sparseIndex;  // coalesced rows, or null
    private final float[][] sparseValue;
    private final float[][] buffers;    // per buffer: Σ buffer × examples, or null when no part had examples
    private final double lossSum;
    private final double correct;
    private final long examples;

    private GradientSum(float[][] dense, int[][] denseShape, int[] tableRows, int[] tableDim, int[][] sparseIndex, float[][] sparseValue,
                        float[][] buffers, double lossSum, double correct, long examples) {
        this.dense = dense;
        this.denseShape = denseShape;
        this.tableRows = tableRows;
        this.tableDim = tableDim;
        this.sparseIndex = sparseIndex;
        this.sparseValue = sparseValue;
        this.buffers = buffers;
        this.lossSum = lossSum;
        this.correct = correct;
        this.examples = examples;
    }

    /** No examples, for a model of {@code parameters} parameters and {@code bufferCount} buffers: the identity. */
    public static GradientSum zero(int parameters, int bufferCount) {
        int[] none = new int[parameters];
        Arrays.fill(none, -1);
        return new GradientSum(new float[parameters][], new int[parameters][], none, none.clone(), new int[parameters][],
                new float[parameters][], new float[bufferCount][], 0, 0, 0);
    }

    /**
     * One part's gradients and its model's buffers after the forward pass (weighted here by the
     * part's examples); the arrays are copied.
     */
    public static GradientSum of(Gradients g, List<Tensor> bufferValues) {
        int n = g.dense().size();
        float[][] dense = new float[n][];
        int[][] shape = new int[n][];
        int[] rows = new int[n];
        int[] dims = new int[n];
        int[][] index = new int[n][];
        float[][] value = new float[n][];
        for (int i = 0; i < n; i++) {
            Tensor d = g.dense().get(i);
            if (d != null) {
                dense[i] = d.toArray();
                shape[i] = d.shape();
            }
            RowSparseGrad s = g.sparse().get(i);
            rows[i] = -1;
            if (s != null) {
                RowSparseGrad c = s.coalesce();
                rows[i] = c.tableRows();
                dims[i] = c.dim();
                index[i] = c.indices();
                value[i] = c.values();
            }
        }
        float[][] buf = new float[bufferValues.size()][];
        if (g.examples() > 0) {
            float w = g.examples();
            for (int b = 0; b < buf.length; b++) {
                float[] a = bufferValues.get(b).toArray();
                for (int k = 0; k < a.length; k++) {
                    a[k] *= w;
                }
                buf[b] = a;
            }
        }
        return new GradientSum(dense, shape, rows, dims, index, value, buf, g.lossSum(), g.correct(), g.examples());
    }

    /** Core's form, for {@link org.omomi.train.TrainStep#apply}. */
    public Gradients toGradients() {
        List<Tensor> d = new ArrayList<>();
        List<RowSparseGrad> s = new ArrayList<>();
        for (int i = 0; i < dense.length; i++) {
            d.add(dense[i] == null ? null : Tensor.wrap(dense[i].clone(), denseShape[i]));
            s.add(tableRows[i] < 0 ? null : RowSparseGrad.of(tableRows[i], tableDim[i], sparseIndex[i], sparseValue[i]).coalesce());
        }
        return Gradients.of(d, s, lossSum, correct, examples);
    }

    @Override
    public GradientSum plus(GradientSum o) {
        if (o.dense.length != dense.length || o.buffers.length != buffers.length) {
            throw new IllegalArgumentException("gradient sums of models with " + dense.length + " and " + o.dense.length + " parameters");
        }
        int n = dense.length;
        float[][] d = new float[n][];
        int[][] shape = new int[n][];
        int[] rows = new int[n];
        int[] dims = new int[n];
        int[][] index = new int[n][];
        float[][] value = new float[n][];
        for (int i = 0; i < n; i++) {
            d[i] = add(dense[i], o.dense[i]);
            shape[i] = denseShape[i] != null ? denseShape[i] : o.denseShape[i];
            if (tableRows[i] < 0 || o.tableRows[i] < 0) {
                GradientSum from = tableRows[i] < 0 ? o : this;
                rows[i] = from.tableRows[i];
                dims[i] = from.tableDim[i];
                index[i] = from.sparseIndex[i];
                value[i] = from.sparseValue[i];
            } else {
                RowSparseGrad a = RowSparseGrad.of(tableRows[i], tableDim[i], sparseIndex[i], sparseValue[i]);
                RowSparseGrad b = RowSparseGrad.of(o.tableRows[i], o.tableDim[i], o.sparseIndex[i], o.sparseValue[i]);
                RowSparseGrad c = a.plus(b).coalesce();
                rows[i] = c.tableRows();
                dims[i] = c.dim();
                index[i] = c.indices();
                value[i] = c.values();
            }
        }
        float[][] buf = new float[buffers.length][];
        for (int b = 0; b < buf.length; b++) {
            buf[b] = add(buffers[b], o.buffers[b]);
        }
        return new GradientSum(d, shape, rows, dims, index, value, buf, lossSum + o.lossSum, correct + o.correct, examples + o.examples);
    }

    private static float[] add(float[] a, float[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.length != b.length) {
            throw new IllegalArgumentException("gradient sums of " + a.length + " and " + b.length + " values");
        }
        float[] out = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = a[k] + b[k];
        }
        return out;
    }

    /** The examples' mean of buffer {@code b} (Σ buffer × examples ÷ examples), or null without examples. */
    public float[] bufferMean(int b) {
        if (buffers[b] == null || examples == 0) {
            return null;
        }
        float[] out = buffers[b].clone();
        if (examples == 1) {
            return out;
        }
        double inv = 1.0 / examples;
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) (out[k] * inv);
        }
        return out;
    }

    public double lossSum() {
        return lossSum;
    }

    public double correct() {
        return correct;
    }

    public long examples() {
        return examples;
    }

    /** Rows listed by the row-sparse slot of parameter {@code i} (0 when it is dense or has none). */
    public int sparseRows(int i) {
        return tableRows[i] < 0 ? 0 : sparseIndex[i].length;
    }

    /** Bytes of gradient values and indices this sum holds: what one task sends back. */
    public long payloadBytes() {
        long b = 0;
        for (int i = 0; i < dense.length; i++) {
            b += dense[i] == null ? 0 : 4L * dense[i].length;
            b += tableRows[i] < 0 ? 0 : 4L * (sparseIndex[i].length + sparseValue[i].length);
        }
        for (float[] x : buffers) {
            b += x == null ? 0 : 4L * x.length;
        }
        return b;
    }
}
