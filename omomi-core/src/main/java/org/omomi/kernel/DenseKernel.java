package org.omomi.kernel;

/**
 * A dense layer's forward pass for a few rows at a time, {@code y = act(x·Wᵀ + b)}, on weights
 * packed once: the serving path, where a batch of one would spend more time packing W inside
 * {@link Gemm} than multiplying (the GEMM packs its B operand on every call).
 *
 * <p>Shapes as in {@code nn.Linear}: W is [out, in] row-major, b is [out] or absent, x is
 * [rows, in], y is [rows, out]; act is the identity or ReLU ({@code max(z, 0)}, NaN kept).
 *
 * <p>Every output is summed exactly as the {@code vector} GEMM sums it, so a row gives the same
 * bits here as in a batch through {@code Tensor.linear} on that backend: the depth is cut into the
 * GEMM's blocks ({@link VectorGemm#depthBlock}); within a block the products are accumulated in
 * order by fused multiply-adds from zero; the block sums are added in order to the bias (or, with
 * no bias, the first block's sum is the start). The pure-Java fallback performs the same operations
 * one output at a time with {@link Math#fma}, so it gives the same bits too.
 *
 * <p>Immutable once packed and safe to share between threads; {@link #forward} allocates nothing.
 */
public final class DenseKernel {

    /** Whether the Vector API path runs (same results as the fallback, faster). */
    private static final boolean VECTOR = VectorSupport.present() && VectorDense.usable();

    private final boolean vector;
    private final int in;
    private final int out;
    private final float[] bias;
    private final int kStep;
    /** The packed weight, laid out as {@link VectorDense#pack} describes. */
    private final float[] packed;
    /** W row-major, for the fallback. */
    private final float[] weight;
    /** Wᵀ packed for the GEMM, made by the first call of more than {@link #ROWS_ONE_BY_ONE} rows. */
    private volatile VectorGemm.PackedB gemmPacked;

    /**
     * Up to this many rows are answered one by one (each reads every weight once); more go through
     * the GEMM's register tiles on weights packed for it once, which reuse each loaded weight for six
     * rows. Either way the same bits.
     */
    static final int ROWS_ONE_BY_ONE = 4;

    private DenseKernel(boolean vector, int in, int out, float[] weight, float[] bias) {
        this.vector = vector;
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
        this.kStep = VectorGemm.depthBlock(in);
        this.packed = vector ? VectorDense.pack(weight, out, in, kStep) : null;
    }

    /**
     * Packs a copy of {@code weight} [out, in] (row-major) and {@code bias} [out] (or null); later
     * changes to the arrays do not reach the kernel.
     */
    public static DenseKernel of(float[] weight, int out, int in, float[] bias) {
        return of(weight, out, in, bias, VECTOR);
    }

    /** As {@link #of(float[], int, int, float[])}, on the Vector API path or on the fallback (tests compare them). */
    static DenseKernel of(float[] weight, int out, int in, float[] bias, boolean vector) {
        if (vector && !VECTOR) {
            throw new IllegalStateException("DenseKernel: the Vector API is not available in this JVM");
        }
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("DenseKernel: sizes must be positive, got in=" + in + ", out=" + out);
        }
        if (weight.length != (long) in * out) {
            throw new IllegalArgumentException("DenseKernel: a weight of " + weight.length + " values for [" + out + ", " + in + "]");
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("DenseKernel: a bias of " + bias.length + " values for " + out + " outputs");
        }
        return new DenseKernel(vector, in, out, weight.clone(), bias == null ? null : bias.clone());
    }

    /** Whether {@link #of(float[], int, int, float[])} takes the Vector API path in this JVM. */
    static boolean vectorPath() {
        return VECTOR;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    /**
     * {@code y[yOff + r·out + j] = act(Σ_p x[xOff + r·in + p]·W[j, p] + b[j])} for r &lt; rows,
     * j &lt; out, with ReLU as act when {@code relu}.
     */
    public void forward(float[] x, int xOff, int rows, float[] y, int yOff, boolean relu) {
        if (rows < 0 || xOff < 0 || yOff < 0 || (long) xOff + (long) rows * in > x.length || (long) yOff + (long) rows * out > y.length) {
            throw new IllegalArgumentException("DenseKernel.forward: " + rows + " rows of " + in + " → " + out
                    + " do not fit arrays of " + x.length + " and " + y.length + " at offsets " + xOff + " and " + yOff);
        }
        if (vector && rows > ROWS_ONE_BY_ONE) {
            gemm(x, xOff, rows, y, yOff, relu);
            return;
        }
        for (int r = 0; r < rows; r++) {
            if (vector) {
                VectorDense.row(packed, in, out, kStep, bias, x, xOff + r * in, y, yOff + r * out, relu);
            } else {
                row(x, xOff + r * in, y, yOff + r * out, relu);
            }
        }
    }

    /** As {@code Tensor.linear}: the bias copied into every row of y, then y += x·Wᵀ (or y = x·Wᵀ). */
    private void gemm(float[] x, int xOff, int rows, float[] y, int yOff, boolean relu) {
        VectorGemm.PackedB w = gemmPacked;
        if (w == null) {
            w = VectorGemm.pack(true, weight, 0, in, in, out);
            gemmPacked = w; // a race packs twice, into equal arrays
        }
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bias, 0, y, yOff + r * out, out);
            }
        }
        VectorGemm.prepacked(rows, x, xOff, in, w, y, yOff, out, bias == null);
        if (relu) {
            int end = yOff + rows * out;
            for (int i = yOff; i < end; i++) {
                y[i] = Math.max(y[i], 0f); // NaN kept, as the row path
            }
        }
    }

    /** The fallback: the same operations as the vector path, one output at a time. */
    private void row(float[] x, int xOff, float[] y, int yOff, boolean relu) {
        for (int j = 0; j < out; j++) {
            int w = j * in;
            float sum = 0f;
            for (int pc = 0; pc < in; pc += kStep) {
                int kc = Math.min(kStep, in - pc);
                float acc = 0f;
                for (int p = pc; p < pc + kc; p++) {
                    acc = Math.fma(weight[w + p], x[xOff + p], acc);
                }
                sum = pc == 0 ? (bias == null ? acc : bias[j] + acc) : sum + acc;
            }
            y[yOff + j] = relu ? Math.max(sum, 0f) : sum;
        }
    }
}
