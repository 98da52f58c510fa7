package org.omomi.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pure-Java GEMM on the incubating Vector API, organised like BLIS/GotoBLAS.
 *
 * <p>Loops, outer to inner: column panels of {@code NC}, depth blocks of {@code KC} (the panel of
 * {@code op(B)} is packed into {@code NR}-wide slivers, so the micro-kernel's vector loads are
 * unit-stride whatever B's transpose and leading dimension), row blocks of {@code MC}, then a
 * register-blocked micro-kernel that keeps an {@code MR × NR} tile of C in vector registers and
 * performs one broadcast and {@code NR/L} fused multiply-adds per row and step of k ({@code L} =
 * lanes per vector).
 *
 * <p>{@code op(A)} is not packed: the kernel broadcasts its six values per step of k straight from
 * the operand, through a row stride and a column stride that cover both transposes. Packing A
 * would be a copy per thread of all of A (threads share rows of A when they split columns), which
 * cost a fifth of the time of the multiplications in a training step; only a bottom-edge sliver
 * of fewer than MR rows is copied, zero-padded, so the kernel never reads past A.
 *
 * <p>Threads take disjoint column (or row) ranges of C; each element of C is accumulated over the
 * same depth blocks in the same order whatever the thread count, so results are bit-identical for
 * 1 or many threads.
 */
final class VectorGemm implements GemmBackend {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register tile. */
    static final int MR = 6;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    static final int KC = 256;
    static final int MC = 120;
    static final int NC = 2048;

    private static final ThreadLocal<float[]> EDGE_A = ThreadLocal.withInitial(() -> new float[MR * KC]);
    // Grown to what a thread's products need (at most NC·KC floats, 2 MiB), not that at once: a
    // server's request threads each multiply small matrices, and each would otherwise keep 2 MiB.
    private static final ThreadLocal<float[]> PACK_B = ThreadLocal.withInitial(() -> new float[0]);

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean available() {
        // Below 256-bit vectors the API falls back to scalar code slower than the plain backend.
        return L >= 8;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        // β = 0: the first depth block overwrites C (no pass to zero it, and NaN in C is ignored);
        // otherwise C is scaled by β once and every block accumulates.
        boolean overwrite = beta == 0f;
        if (!overwrite) {
            Gemm.scale(c, cOff, ldc, m, n, beta);
        }
        long flops = 2L * m * n * k;
        int threads = flops < 4_000_000L ? 1 : Parallel.threads();
        if (threads <= 1) {
            block(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, overwrite);
            return;
        }
        // Split the larger of the two output dimensions, in whole register tiles.
        if (n >= m) {
            int tiles = (n + NR - 1) / NR;
            Parallel.forRange(tiles, 1, (t0, t1) -> block(transA, transB, 0, m, t0 * NR, Math.min(n, t1 * NR), k,
                    alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, overwrite));
        } else {
            int tiles = (m + MR - 1) / MR;
            Parallel.forRange(tiles, 1, (t0, t1) -> block(transA, transB, t0 * MR, Math.min(m, t1 * MR), 0, n, k,
                    alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, overwrite));
        }
    }

    /** C[i0:i1, j0:j1] += alpha·op(A)[i0:i1, :]·op(B)[:, j0:j1] on the calling thread. */
    private static void block(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                              float alpha, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean overwrite) {
        int need = (Math.min(NC, j1 - j0) + NR - 1) / NR * NR * Math.min(KC, k);
        float[] bp = PACK_B.get();
        if (bp.length < need) {
            bp = new float[need];
            PACK_B.set(bp);
        }
        float[] edgeA = EDGE_A.get();
        float[] edge = new float[MR * NR];
        // Element (i, p) of op(A) is a[aOff + i·rs + p·cs].
        int rs = transA ? 1 : lda;
        int cs = transA ? lda : 1;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean store = overwrite && pc == 0;
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    int full = mc / MR * MR; // rows in whole slivers; a last short sliver is copied once, padded
                    if (full < mc) {
                        copyEdgeA(a, aOff + (ic + full) * rs + pc * cs, rs, cs, mc - full, kc, edgeA);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            boolean edgeRows = rows < MR;
                            float[] aArr = edgeRows ? edgeA : a;
                            int aIdx = edgeRows ? 0 : aOff + (ic + ir) * rs + pc * cs;
                            int ars = edgeRows ? 1 : rs;
                            int acs = edgeRows ? MR : cs;
                            if (rows == MR && cols == NR) {
                                kernel(kc, aArr, aIdx, ars, acs, bp, jr * kc, alpha, c, cIdx, ldc, store);
                            } else {
                                kernel(kc, aArr, aIdx, ars, acs, bp, jr * kc, alpha, edge, 0, NR, true);
                                for (int r = 0; r < rows; r++) {
                                    for (int j = 0; j < cols; j++) {
                                        float v = edge[r * NR + j];
                                        c[cIdx + r * ldc + j] = store ? v : c[cIdx + r * ldc + j] + v;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Copies rows × kc of op(A) into MR-interleaved form (element (r, p) at p·MR + r), zero rows below. */
    private static void copyEdgeA(float[] a, int aIdx, int rs, int cs, int rows, int kc, float[] out) {
        for (int p = 0; p < kc; p++) {
            for (int r = 0; r < MR; r++) {
                out[p * MR + r] = r < rows ? a[aIdx + r * rs + p * cs] : 0f;
            }
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-column slivers: element (p, j) of sliver t lies at
     * {@code t·NR·kc + p·NR + j}; columns past the edge are zero.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
        for (int t = 0; t * NR < nc; t++) {
            int base = t * NR * kc;
            int cols = Math.min(NR, nc - t * NR);
            if (transB) {
                for (int j = 0; j < NR; j++) {
                    if (j < cols) {
                        int src = bOff + (jc + t * NR + j) * ldb + pc;
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * NR + j] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * NR + j] = 0f;
                        }
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + t * NR;
                    int dst = base + p * NR;
                    System.arraycopy(b, src, bp, dst, cols);
                    for (int j = cols; j < NR; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The register tile: C[cIdx + r·ldc + j] += alpha·Σ_p a[aIdx + r·rs + p·cs]·bp[bIdx + p·NR + j]
     * for r &lt; MR, j &lt; NR. Twelve accumulators, two B vectors and one broadcast stay in registers.
     *
     * <p>Two details decide whether this runs at 50 or at 180 GFLOP/s on C2 (measured on JDK 17):
     * the loop counter is the B index itself, so the bounds checks of the vector loads are hoisted
     * out of the loop; and the stores are written out here rather than in a helper method, because
     * an accumulator passed to a call that is not inlined must be boxed, on every iteration.
     */
    private static void kernel(int kc, float[] a, int aIdx, int rs, int cs, float[] bp, int bIdx, float alpha,
                               float[] c, int cIdx, int ldc, boolean store) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int end = bIdx + kc * NR;
        int ai = aIdx;
        int o2 = 2 * rs;
        int o3 = 3 * rs;
        int o4 = 4 * rs;
        int o5 = 5 * rs;
        for (int bi = bIdx; bi < end; bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(S, a[ai + rs]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(S, a[ai + o2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(S, a[ai + o3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(S, a[ai + o4]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(S, a[ai + o5]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
            ai += cs;
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        int r0 = cIdx;
        int r1 = r0 + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        if (store) { // C = α·AB: C is not read
            c00.mul(al).intoArray(c, r0);
            c01.mul(al).intoArray(c, r0 + L);
            c10.mul(al).intoArray(c, r1);
            c11.mul(al).intoArray(c, r1 + L);
            c20.mul(al).intoArray(c, r2);
            c21.mul(al).intoArray(c, r2 + L);
            c30.mul(al).intoArray(c, r3);
            c31.mul(al).intoArray(c, r3 + L);
            c40.mul(al).intoArray(c, r4);
            c41.mul(al).intoArray(c, r4 + L);
            c50.mul(al).intoArray(c, r5);
            c51.mul(al).intoArray(c, r5 + L);
            return;
        }
        c00.fma(al, FloatVector.fromArray(S, c, r0)).intoArray(c, r0);
        c01.fma(al, FloatVector.fromArray(S, c, r0 + L)).intoArray(c, r0 + L);
        c10.fma(al, FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
        c11.fma(al, FloatVector.fromArray(S, c, r1 + L)).intoArray(c, r1 + L);
        c20.fma(al, FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
        c21.fma(al, FloatVector.fromArray(S, c, r2 + L)).intoArray(c, r2 + L);
        c30.fma(al, FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
        c31.fma(al, FloatVector.fromArray(S, c, r3 + L)).intoArray(c, r3 + L);
        c40.fma(al, FloatVector.fromArray(S, c, r4)).intoArray(c, r4);
        c41.fma(al, FloatVector.fromArray(S, c, r4 + L)).intoArray(c, r4 + L);
        c50.fma(al, FloatVector.fromArray(S, c, r5)).intoArray(c, r5);
        c51.fma(al, FloatVector.fromArray(S, c, r5 + L)).intoArray(c, r5 + L);
    }
}
