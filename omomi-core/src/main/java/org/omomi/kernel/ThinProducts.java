package org.omomi.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@code vector} GEMM's products with one row or one column of C (matrix times vector, vector
 * times matrix): logistic regression's forward pass and weight gradient, a batch of one.
 *
 * <p>The blocked path would pack both operands and run its 6 × 16 register tile over a C that is
 * one column wide, doing sixteen times the multiplications it keeps and copying A as often as it
 * reads it (B5's profile: packing was as much time as the arithmetic). Here nothing is packed.
 *
 * <p>Every element of C is summed with exactly the operations the blocked path performs for it,
 * so the results are the same bits (the tests compare the two): the depth is cut into the same
 * blocks ({@link VectorGemm#depthBlock}); within a block the products are accumulated in order by
 * fused multiply-adds from zero; the first block's sum times α is stored when β = 0, and every
 * other block's sum times α is added to C. One row or one column of C never fills a register tile,
 * so the blocked path takes its edge-tile route for all of it, which adds {@code sum·α} with a
 * plain addition (not a fused one), and so does this class.
 *
 * <p>Threads take disjoint ranges of C's elements; an element's sum does not depend on them.
 */
final class ThinProducts {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Outputs summed together when each is a dot product: independent chains of fused
     * multiply-adds, enough to cover the FMA's latency (four chains ran at 0.8 per cycle on Zen 2,
     * whose FMA takes 5 cycles and issues two a cycle).
     */
    private static final int CHAINS = 8;

    private ThinProducts() {}

    /** Whether {@link #sgemm} takes this product: C has one row or one column. */
    static boolean takes(int m, int n) {
        return m == 1 || n == 1;
    }

    /** {@code C = α·op(A)·op(B) + β·C} for C of one row or one column; C is already scaled by β unless β = 0. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean overwrite) {
        int kStep = VectorGemm.depthBlock(k);
        long flops = 2L * m * n * k;
        int threads = flops < 4_000_000L ? 1 : Parallel.threads();
        if (n == 1) {
            // C[i] = Σ_p op(A)[i, p]·v[p], v = op(B)'s one column.
            int vOff = bOff;
            int vStep = transB ? 1 : ldb;
            if (transA) {
                // op(A)[i, p] = a[p·lda + i]: rows of C side by side in one vector.
                range(threads, m, L, (i0, i1) -> columnOfRows(i0, i1, k, kStep, alpha, a, aOff, lda, b, vOff, vStep, c, cOff, ldc, overwrite));
            } else {
                range(threads, m, CHAINS, (i0, i1) -> dots(i0, i1, k, kStep, alpha, a, aOff, lda, b, vOff, vStep, c, cOff, ldc, overwrite));
            }
        } else {
            // m == 1: C[j] = Σ_p u[p]·op(B)[p, j], u = op(A)'s one row.
            int uOff = aOff;
            int uStep = transA ? lda : 1;
            if (transB) {
                // op(B)[p, j] = b[j·ldb + p]: each element of C is a dot product along a row of b.
                range(threads, n, CHAINS, (j0, j1) -> dots(j0, j1, k, kStep, alpha, b, bOff, ldb, a, uOff, uStep, c, cOff, 1, overwrite));
            } else {
                range(threads, n, L, (j0, j1) -> columnOfRows(j0, j1, k, kStep, alpha, b, bOff, ldb, a, uOff, uStep, c, cOff, 1, overwrite));
            }
        }
    }

    private static void range(int threads, int count, int grain, Parallel.RangeBody body) {
        if (threads <= 1) {
            body.run(0, count);
            return;
        }
        int units = (count + grain - 1) / grain;
        Parallel.forRange(units, 1, (u0, u1) -> body.run(u0 * grain, Math.min(count, u1 * grain)));
    }

    /**
     * out[o·outStride] for o in [o0, o1) = Σ_p x[xOff + p·ldx + o]·v[vOff + p·vStep]: the outputs
     * are adjacent in x's rows, so one vector holds L of them and each step of p is one broadcast
     * and one fused multiply-add.
     */
    private static void columnOfRows(int o0, int o1, int k, int kStep, float alpha, float[] x, int xOff, int ldx,
                                     float[] v, int vOff, int vStep, float[] out, int outOff, int outStride, boolean overwrite) {
        float[] sums = new float[4 * L];
        int o = o0;
        // Four vectors of outputs at a time: four independent chains of fused multiply-adds (one
        // chain waits the FMA's latency, 5 cycles on Zen 2, at every step).
        for (; o + 4 * L <= o1; o += 4 * L) {
            for (int pc = 0; pc < k; pc += kStep) {
                int end = Math.min(k, pc + kStep);
                FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
                FloatVector acc2 = FloatVector.zero(S), acc3 = FloatVector.zero(S);
                int xi = xOff + pc * ldx + o;
                int vi = vOff + pc * vStep;
                for (int p = pc; p < end; p++, xi += ldx, vi += vStep) {
                    FloatVector vp = FloatVector.broadcast(S, v[vi]);
                    acc0 = FloatVector.fromArray(S, x, xi).fma(vp, acc0);
                    acc1 = FloatVector.fromArray(S, x, xi + L).fma(vp, acc1);
                    acc2 = FloatVector.fromArray(S, x, xi + 2 * L).fma(vp, acc2);
                    acc3 = FloatVector.fromArray(S, x, xi + 3 * L).fma(vp, acc3);
                }
                boolean store = overwrite && pc == 0;
                acc0.mul(alpha).intoArray(sums, 0);
                acc1.mul(alpha).intoArray(sums, L);
                acc2.mul(alpha).intoArray(sums, 2 * L);
                acc3.mul(alpha).intoArray(sums, 3 * L);
                for (int l = 0; l < 4 * L; l++) {
                    int ci = outOff + (o + l) * outStride;
                    out[ci] = store ? sums[l] : out[ci] + sums[l];
                }
            }
        }
        for (; o + L <= o1; o += L) {
            for (int pc = 0; pc < k; pc += kStep) {
                int end = Math.min(k, pc + kStep);
                FloatVector acc = FloatVector.zero(S);
                int xi = xOff + pc * ldx + o;
                int vi = vOff + pc * vStep;
                for (int p = pc; p < end; p++, xi += ldx, vi += vStep) {
                    acc = FloatVector.fromArray(S, x, xi).fma(FloatVector.broadcast(S, v[vi]), acc);
                }
                boolean store = overwrite && pc == 0;
                acc.mul(alpha).intoArray(sums, 0);
                for (int l = 0; l < L; l++) {
                    int ci = outOff + (o + l) * outStride;
                    out[ci] = store ? sums[l] : out[ci] + sums[l];
                }
            }
        }
        for (; o < o1; o++) {
            for (int pc = 0; pc < k; pc += kStep) {
                int end = Math.min(k, pc + kStep);
                float acc = 0f;
                for (int p = pc; p < end; p++) {
                    acc = Math.fma(x[xOff + p * ldx + o], v[vOff + p * vStep], acc);
                }
                put(out, outOff + o * outStride, acc * alpha, overwrite && pc == 0);
            }
        }
    }

    /**
     * out[o·outStride] for o in [o0, o1) = Σ_p x[xOff + o·ldx + p]·v[vOff + p·vStep]: one dot
     * product per output, {@link #CHAINS} of them at a time so that their fused multiply-adds overlap.
     */
    private static void dots(int o0, int o1, int k, int kStep, float alpha, float[] x, int xOff, int ldx,
                             float[] v, int vOff, int vStep, float[] out, int outOff, int outStride, boolean overwrite) {
        int o = o0;
        for (; o + CHAINS <= o1; o += CHAINS) {
            int x0 = xOff + o * ldx;
            int x1 = x0 + ldx;
            int x2 = x1 + ldx;
            int x3 = x2 + ldx;
            int x4 = x3 + ldx;
            int x5 = x4 + ldx;
            int x6 = x5 + ldx;
            int x7 = x6 + ldx;
            for (int pc = 0; pc < k; pc += kStep) {
                int end = Math.min(k, pc + kStep);
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
                for (int p = pc; p < end; p++) {
                    float vp = v[vOff + p * vStep];
                    s0 = Math.fma(x[x0 + p], vp, s0);
                    s1 = Math.fma(x[x1 + p], vp, s1);
                    s2 = Math.fma(x[x2 + p], vp, s2);
                    s3 = Math.fma(x[x3 + p], vp, s3);
                    s4 = Math.fma(x[x4 + p], vp, s4);
                    s5 = Math.fma(x[x5 + p], vp, s5);
                    s6 = Math.fma(x[x6 + p], vp, s6);
                    s7 = Math.fma(x[x7 + p], vp, s7);
                }
                boolean store = overwrite && pc == 0;
                int ci = outOff + o * outStride;
                put(out, ci, s0 * alpha, store);
                put(out, ci + outStride, s1 * alpha, store);
                put(out, ci + 2 * outStride, s2 * alpha, store);
                put(out, ci + 3 * outStride, s3 * alpha, store);
                put(out, ci + 4 * outStride, s4 * alpha, store);
                put(out, ci + 5 * outStride, s5 * alpha, store);
                put(out, ci + 6 * outStride, s6 * alpha, store);
                put(out, ci + 7 * outStride, s7 * alpha, store);
            }
        }
        for (; o < o1; o++) {
            int x0 = xOff + o * ldx;
            for (int pc = 0; pc < k; pc += kStep) {
                int end = Math.min(k, pc + kStep);
                float s = 0f;
                for (int p = pc; p < end; p++) {
                    s = Math.fma(x[x0 + p], v[vOff + p * vStep], s);
                }
                put(out, outOff + o * outStride, s * alpha, overwrite && pc == 0);
            }
        }
    }

    /** The edge-tile update of the blocked path: store, or add with a plain addition. */
    private static void put(float[] out, int i, float v, boolean store) {
        out[i] = store ? v : out[i] + v;
    }
}
