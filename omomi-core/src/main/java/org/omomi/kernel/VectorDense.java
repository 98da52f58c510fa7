package org.omomi.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link DenseKernel}: one row of {@code x·Wᵀ + b}, vectorised across
 * outputs, eight vectors of outputs at a time; loaded only where the module is present.
 *
 * <p>Packed layout of W, block of depth by block (the GEMM's blocks, {@code kStep} deep, in
 * order): first the full strips of {@code SW = 8·L} outputs, each {@code kc × SW} floats, row p of
 * the strip holding {@code W[j0 .. j0+SW, pc+p]}; then the tail strips of one vector, {@code kc × L}
 * floats each, zero past the last output. Every load of the inner loop is unit-stride.
 */
final class VectorDense {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Vectors of outputs per strip: eight accumulators, one broadcast, the weights read from memory. */
    private static final int V = 8;
    private static final int SW = V * L;
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    private VectorDense() {}

    static boolean usable() {
        return L >= 8;
    }

    /** Floats per step of depth in one block: the full strips and the tail vectors. */
    private static int width(int out) {
        int full = out / SW;
        int tail = (out - full * SW + L - 1) / L;
        return full * SW + tail * L;
    }

    static float[] pack(float[] w, int out, int in, int kStep) {
        int width = width(out);
        int full = out / SW;
        float[] packed = new float[width * in];
        for (int pc = 0; pc < in; pc += kStep) {
            int kc = Math.min(kStep, in - pc);
            int base = pc * width;
            for (int s = 0; s < full; s++) {
                int strip = base + s * kc * SW;
                for (int p = 0; p < kc; p++) {
                    for (int j = 0; j < SW; j++) {
                        packed[strip + p * SW + j] = w[(s * SW + j) * in + pc + p];
                    }
                }
            }
            int tails = (width - full * SW) / L;
            for (int t = 0; t < tails; t++) {
                int strip = base + full * kc * SW + t * kc * L;
                int j0 = full * SW + t * L;
                for (int p = 0; p < kc; p++) {
                    for (int j = 0; j < L; j++) {
                        packed[strip + p * L + j] = j0 + j < out ? w[(j0 + j) * in + pc + p] : 0f;
                    }
                }
            }
        }
        return packed;
    }

    static void row(float[] packed, int in, int out, int kStep, float[] bias, float[] x, int xOff, float[] y, int yOff,
                    boolean relu) {
        int width = width(out);
        int full = out / SW;
        int tails = (width - full * SW) / L;
        for (int pc = 0; pc < in; pc += kStep) {
            int kc = Math.min(kStep, in - pc);
            int base = pc * width;
            boolean first = pc == 0;
            boolean last = pc + kc == in;
            for (int s = 0; s < full; s++) {
                strip(packed, base + s * kc * SW, kc, x, xOff + pc, y, yOff + s * SW, bias, s * SW, first, last && relu);
            }
            for (int t = 0; t < tails; t++) {
                int j0 = full * SW + t * L;
                FloatVector acc = FloatVector.zero(S);
                int w = base + full * kc * SW + t * kc * L;
                for (int p = 0; p < kc; p++) {
                    acc = FloatVector.fromArray(S, packed, w + p * L).fma(FloatVector.broadcast(S, x[xOff + pc + p]), acc);
                }
                int n = Math.min(L, out - j0);
                if (n == L) {
                    FloatVector v = first ? (bias == null ? acc : FloatVector.fromArray(S, bias, j0).add(acc))
                            : FloatVector.fromArray(S, y, yOff + j0).add(acc);
                    (last && relu ? v.max(0f) : v).intoArray(y, yOff + j0);
                } else {
                    float[] lanes = LANES.get();
                    acc.intoArray(lanes, 0);
                    for (int j = 0; j < n; j++) {
                        float a = lanes[j];
                        float v = first ? (bias == null ? a : bias[j0 + j] + a) : y[yOff + j0 + j] + a;
                        y[yOff + j0 + j] = last && relu ? Math.max(v, 0f) : v;
                    }
                }
            }
        }
    }

    /**
     * One full strip of SW outputs over one block: eight accumulators from zero, then added to the
     * bias (first block) or to the partial sums in y; ReLU after the last block when asked.
     */
    private static void strip(float[] packed, int w, int kc, float[] x, int xOff, float[] y, int yOff,
                              float[] bias, int j0, boolean first, boolean relu) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        FloatVector a4 = FloatVector.zero(S), a5 = FloatVector.zero(S), a6 = FloatVector.zero(S), a7 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int wi = w + p * SW;
            FloatVector xv = FloatVector.broadcast(S, x[xOff + p]);
            a0 = FloatVector.fromArray(S, packed, wi).fma(xv, a0);
            a1 = FloatVector.fromArray(S, packed, wi + L).fma(xv, a1);
            a2 = FloatVector.fromArray(S, packed, wi + 2 * L).fma(xv, a2);
            a3 = FloatVector.fromArray(S, packed, wi + 3 * L).fma(xv, a3);
            a4 = FloatVector.fromArray(S, packed, wi + 4 * L).fma(xv, a4);
            a5 = FloatVector.fromArray(S, packed, wi + 5 * L).fma(xv, a5);
            a6 = FloatVector.fromArray(S, packed, wi + 6 * L).fma(xv, a6);
            a7 = FloatVector.fromArray(S, packed, wi + 7 * L).fma(xv, a7);
        }
        store(a0, y, yOff, bias, j0, first, relu);
        store(a1, y, yOff + L, bias, j0 + L, first, relu);
        store(a2, y, yOff + 2 * L, bias, j0 + 2 * L, first, relu);
        store(a3, y, yOff + 3 * L, bias, j0 + 3 * L, first, relu);
        store(a4, y, yOff + 4 * L, bias, j0 + 4 * L, first, relu);
        store(a5, y, yOff + 5 * L, bias, j0 + 5 * L, first, relu);
        store(a6, y, yOff + 6 * L, bias, j0 + 6 * L, first, relu);
        store(a7, y, yOff + 7 * L, bias, j0 + 7 * L, first, relu);
    }

    private static void store(FloatVector acc, float[] y, int at, float[] bias, int j, boolean first, boolean relu) {
        FloatVector v = first ? (bias == null ? acc : FloatVector.fromArray(S, bias, j).add(acc))
                : FloatVector.fromArray(S, y, at).add(acc);
        (relu ? v.max(0f) : v).intoArray(y, at);
    }
}
