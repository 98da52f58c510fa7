package org.omomi.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pure-Java GEMM on the incubating Vector API, organised like BLIS/GotoBLAS.
 *
 * <p>Loops, outer to inner: column panels of {@code B_PANEL / k} columns, at most {@code NC} (the panel of
 * {@code op(B)} is packed at once, all depths, into {@code NR}-wide slivers), row blocks of
 * {@code MC}, depth blocks of at most {@code KC} (the block of {@code op(A)} is packed into
 * {@code MR}-tall slivers), then a register-blocked
 * micro-kernel that keeps an {@code MR × NR} tile of C in vector registers and performs one
 * broadcast and {@code NR/L} fused multiply-adds per row and step of k ({@code L} = lanes per
 * vector). Packing makes every load of the micro-kernel unit-stride from one array, whatever the
 * operands' transposes and leading dimensions. The depth loop sits inside the row blocks so that
 * the strip of C a row block writes stays in the L2 cache while its depth blocks add to it; with
 * the depth loop outside (GotoBLAS's order) every depth block fetched all of C again from L3, and
 * a 2048³ product ran 10% slower on an AVX-512 Xeon (the A block is now packed once per column
 * panel, not once in all).
 *
 * <p>An earlier version read {@code op(A)} in place through a row and a column stride, to save
 * the copy; on Zen 2 (AVX2, 16 vector registers) that left six bounds checks and two spilled
 * strides in the inner loop and ran at 60–70% of OpenBLAS. The copy costs one read and one
 * write of each element of A per block, against {@code 2·nc} flops that use it.
 *
 * <p>Threads take disjoint column (or row) ranges of C; each element of C is accumulated over the
 * same depth blocks in the same order whatever the thread count, so results are bit-identical for
 * 1 or many threads.
 */
final class VectorGemm implements GemmBackend {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Rows of the register tile: 6 where vectors are 256 bits (AVX2's 16 registers hold 12
     * accumulators, two B vectors and a broadcast), 8 where they are 512 bits (AVX-512's 32 hold
     * 16 + 2 + 1). With 512-bit vectors the 6-row tile does 12 FMAs for 8 loads a step; the 8-row
     * tile does 16 for 10 and reads each 32 KB B sliver from L1 a third less often. A 12-row tile
     * (24 accumulators) ran 4% faster still in a GEMM benchmark, but C1 cannot compile a method
     * that large ("out of virtual registers"), and a JVM that tried it early sometimes left the
     * method in C1's code for good, with every vector boxed: DeepFM's training ran 10x slower.
     * The sums are the same whatever the tile: every element of C is accumulated over k in order.
     */
    static final int MR = L >= 16 ? 8 : 6;
    /**
     * Floats per step of k in a packed A sliver: MR values and padding to eight, so that the index
     * into A is the index into B shifted (see {@link #kernel}).
     */
    static final int AS = 8;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** {@code bi >> A_SHIFT} steps A by AS floats for every NR floats of B. */
    private static final int A_SHIFT = Integer.numberOfTrailingZeros(NR / AS);
    static final int KC = 256;
    static final int MC = 144;
    /**
     * Floats of op(B) packed at once, all depths of a column panel (4 MiB): the panel is
     * {@code B_PANEL / k} columns wide, so that a row block's strip of C (MC × that) stays in the
     * L2 cache while every depth block adds to it.
     */
    static final int B_PANEL = 1 << 20;
    /**
     * Columns of a panel at most: a shallow product (a convolution's im2col, k = 9 or 288, n =
     * 100,000) would otherwise pack megabytes of B before the first multiplication reads any.
     */
    static final int NC = 2048;

    // The packing buffers grow to what a thread's products need (at most 200 KiB for A, 4 MiB for
    // B), not that at once: a server's request threads each multiply small matrices, and each
    // would otherwise keep 4 MiB for as long as it lives.
    private static final ThreadLocal<float[]> PACK_A = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> EDGE_C = ThreadLocal.withInitial(() -> new float[MR * NR]);
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
        if (ThinProducts.takes(m, n)) {
            ThinProducts.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, overwrite);
            return;
        }
        blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, overwrite);
    }

    /**
     * The blocked path for every shape, C already scaled by β unless {@code overwrite}; the tests
     * hold {@link ThinProducts} to its bits.
     */
    static void blocked(boolean transA, boolean transB, int m, int n, int k,
                        float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc, boolean overwrite) {
        blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, c, cOff, ldc, overwrite);
    }

    /**
     * op(B) of many products packed once, as {@link #packB} lays it out, for every depth block and
     * all n columns: the sliver of columns [j, j + NR) of depth block pc lies at
     * {@code tiles·NR·pc + j·kc}. A served model's weights are the B of every request's product;
     * packing them per call cost as much as multiplying a batch of twenty rows.
     */
    static final class PackedB {
        final int k;
        final int n;
        final int tiles;
        final float[] data;

        private PackedB(int k, int n, int tiles, float[] data) {
            this.k = k;
            this.n = n;
            this.tiles = tiles;
            this.data = data;
        }
    }

    /** Packs op(B) [k, n] once ({@code transB}: B is [n, k] row-major with leading dimension ldb). */
    static PackedB pack(boolean transB, float[] b, int bOff, int ldb, int k, int n) {
        int kStep = depthBlock(k);
        int tiles = (n + NR - 1) / NR;
        float[] data = new float[tiles * NR * k + 2 * NR];
        for (int pc = 0; pc < k; pc += kStep) {
            packB(transB, b, bOff, ldb, pc, Math.min(kStep, k - pc), 0, n, data, tiles * NR * pc);
        }
        return new PackedB(k, n, tiles, data);
    }

    /**
     * C = A·B (+ C unless {@code overwrite}) for A [m, k] row-major and B packed by {@link #pack}: the
     * blocked path with the packing of B skipped, so the same sums in the same order, bit for bit
     * what {@link #sgemm} gives for that B with α = 1.
     */
    static void prepacked(int m, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc, boolean overwrite) {
        blocked(false, false, m, b.n, b.k, 1f, a, aOff, lda, null, 0, 0, b, c, cOff, ldc, overwrite);
    }

    private static void blocked(boolean transA, boolean transB, int m, int n, int k,
                                float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, PackedB packed,
                                float[] c, int cOff, int ldc, boolean overwrite) {
        long flops = 2L * m * n * k;
        int threads = flops < 4_000_000L ? 1 : Parallel.threads();
        if (threads <= 1) {
            block(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, packed, c, cOff, ldc, overwrite);
            return;
        }
        // Split the larger of the two output dimensions, in whole register tiles.
        if (n >= m) {
            int tiles = (n + NR - 1) / NR;
            Parallel.forRange(tiles, 1, (t0, t1) -> block(transA, transB, 0, m, t0 * NR, Math.min(n, t1 * NR), k,
                    alpha, a, aOff, lda, b, bOff, ldb, packed, c, cOff, ldc, overwrite));
        } else {
            int tiles = (m + MR - 1) / MR;
            Parallel.forRange(tiles, 1, (t0, t1) -> block(transA, transB, t0 * MR, Math.min(m, t1 * MR), 0, n, k,
                    alpha, a, aOff, lda, b, bOff, ldb, packed, c, cOff, ldc, overwrite));
        }
    }

    /**
     * C[i0:i1, j0:j1] += alpha·op(A)[i0:i1, :]·op(B)[:, j0:j1] on the calling thread; op(B) is packed
     * here panel by panel, or read from {@code packed} when given (j0 is then a multiple of NR).
     */
    private static void block(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                              float alpha, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb, PackedB packed,
                              float[] c, int cOff, int ldc, boolean overwrite) {
        int kStep = depthBlock(k);
        int mStep = rowBlock(i1 - i0);
        int ncMax = Math.min(NC, Math.max(NR, B_PANEL / k / NR * NR));
        int tilesMax = (Math.min(ncMax, j1 - j0) + NR - 1) / NR;
        float[] bp = packed != null ? packed.data : buffer(PACK_B, tilesMax * NR * k + 2 * NR);
        float[] ap = buffer(PACK_A, (mStep + MR - 1) / MR * AS * kStep + 2 * AS);
        float[] edge = EDGE_C.get();
        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            int tiles = (nc + NR - 1) / NR;
            for (int ic = i0; ic < i1; ic += mStep) {
                int mc = Math.min(mStep, i1 - ic);
                for (int pc = 0; pc < k; pc += kStep) {
                    int kc = Math.min(kStep, k - pc);
                    boolean store = overwrite && pc == 0;
                    int bBase = packed == null ? tiles * NR * pc : packed.tiles * NR * pc + jc * kc;
                    if (packed == null && ic == i0) {
                        // Packed just before its first use, while it is still in the caches: a
                        // product of one row block (a training batch) then reads each depth block
                        // of B hot, as if the depth loop were outermost.
                        packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, bBase);
                    }
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            if (rows == MR && cols == NR) {
                                kernel(kc, ap, ir / MR * AS * kc, bp, bBase + jr * kc, alpha, c, cIdx, ldc, store);
                            } else {
                                kernel(kc, ap, ir / MR * AS * kc, bp, bBase + jr * kc, alpha, edge, 0, NR, true);
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

    /** This thread's buffer, grown to at least {@code floats}. */
    private static float[] buffer(ThreadLocal<float[]> local, int floats) {
        float[] b = local.get();
        if (b.length < floats) {
            b = new float[floats];
            local.set(b);
        }
        return b;
    }

    /**
     * The depth of each block of k: at most {@code KC}, the blocks as equal as possible (784 gives
     * four of 196, not three of 256 and one of 16, whose C traffic would cost as much as its
     * multiplications). A function of k alone, so every thread count sums in the same blocks.
     */
    static int depthBlock(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    /**
     * The height of each block of rows: at most {@code MC}, whole slivers, the blocks as equal as
     * possible. 128 rows make one block of 128, not 120 and 8: every block streams the whole packed
     * B panel through the caches once, so a thin last block costs nearly what a full one does.
     */
    static int rowBlock(int m) {
        int blocks = (m + MC - 1) / MC;
        int rows = (m + blocks - 1) / blocks;
        return (rows + MR - 1) / MR * MR;
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] into MR-row slivers: element (r, p) of sliver s lies at
     * {@code s·AS·kc + p·AS + r}. Rows past the edge are zero; the two padding floats of each step
     * are never read and never written.
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        for (int s = 0; s * MR < mc; s++) {
            int base = s * AS * kc;
            int rows = Math.min(MR, mc - s * MR);
            int row0 = ic + s * MR;
            if (transA) {
                // op(A)(i, p) = a[(pc + p)·lda + i]: each step of p reads MR neighbours, as one
                // vector where a vector is AS floats (AVX2) and it lies inside the array. Never as
                // a vector of another width: a second species makes FloatVector's shared methods
                // polymorphic, C2 then compiles them apart with the intrinsics failed, and every
                // call site that does not inline them boxes its vectors (on AVX-512, a 256-bit
                // copy here had DeepFM allocating gigabytes of boxed vectors).
                int src = aOff + pc * lda + row0;
                for (int p = 0; p < kc; p++, src += lda) {
                    int dst = base + p * AS;
                    if (AS == L && rows == MR && src + AS <= a.length) {
                        FloatVector.fromArray(S, a, src).intoArray(ap, dst);
                    } else {
                        for (int r = 0; r < MR; r++) {
                            ap[dst + r] = r < rows ? a[src + r] : 0f;
                        }
                    }
                }
            } else if (rows == MR) {
                packSixRows(a, aOff + row0 * lda + pc, lda, kc, ap, base);
                if (MR == 8) {
                    packTwoRows(a, aOff + (row0 + 6) * lda + pc, lda, kc, ap, base + 6);
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    int src = aOff + (row0 + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * AS + r] = r < rows ? a[src + p] : 0f;
                    }
                }
            }
        }
    }

    /**
     * Rows r..r+5 of a sliver from six row streams of A, each read at unit stride: every index is
     * linear in p, so C2 hoists the bounds checks.
     */
    private static void packSixRows(float[] a, int s0, int lda, int kc, float[] ap, int dst) {
        int s1 = s0 + lda;
        int s2 = s1 + lda;
        int s3 = s2 + lda;
        int s4 = s3 + lda;
        int s5 = s4 + lda;
        for (int p = 0; p < kc; p++, dst += AS) {
            ap[dst] = a[s0 + p];
            ap[dst + 1] = a[s1 + p];
            ap[dst + 2] = a[s2 + p];
            ap[dst + 3] = a[s3 + p];
            ap[dst + 4] = a[s4 + p];
            ap[dst + 5] = a[s5 + p];
        }
    }

    /** Rows 6 and 7 of an 8-row sliver, as {@link #packSixRows} packs the first six. */
    private static void packTwoRows(float[] a, int s0, int lda, int kc, float[] ap, int dst) {
        int s1 = s0 + lda;
        for (int p = 0; p < kc; p++, dst += AS) {
            ap[dst] = a[s0 + p];
            ap[dst + 1] = a[s1 + p];
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-column slivers: element (p, j) of sliver t lies at
     * {@code bpOff + t·NR·kc + p·NR + j}; columns past the edge are zero.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp, int bpOff) {
        int full = nc / NR;
        if (!transB) {
            // Whole slivers move as two vectors per row, sliver by sliver, so the writes are
            // sequential (row by row they went to 50 slivers 16 KB apart at once).
            for (int t = 0; t < full; t++) {
                int src = bOff + pc * ldb + jc + t * NR;
                int dst = bpOff + t * NR * kc;
                for (int p = 0; p < kc; p++, src += ldb) {
                    FloatVector.fromArray(S, b, src).intoArray(bp, dst + p * NR);
                    FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + p * NR + L);
                }
            }
        }
        for (int t = transB ? 0 : full; t * NR < nc; t++) {
            int base = bpOff + t * NR * kc;
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
                    for (int j = 0; j < NR; j++) {
                        bp[dst + j] = j < cols ? b[src + j] : 0f;
                    }
                }
            }
        }
    }

    /**
     * The register tile: C[cIdx + r·ldc + j] (+)= alpha·Σ_p ap[aIdx + p·AS + r]·bp[bIdx + p·NR + j]
     * for r &lt; MR, j &lt; NR. Twelve accumulators, two B vectors and one broadcast stay in registers
     * (15 of AVX2's 16).
     *
     * <p>Details that decide the speed on C2 (JDK 17, measured on Zen 2 with AVX2, where 16 vector
     * registers leave one spare):
     * <ul>
     * <li>The loop counter is the index into B itself, so the bounds checks of the B loads are
     *     hoisted out of the loop, and the index into A follows from it by one shift: indexing both
     *     by {@code p·NR} and {@code p·AS} made C2 recompute each product from p on every step, a
     *     third of the loop's instructions.</li>
     * <li>A's index, {@code (bi >> A_SHIFT) + const}, is not one C2 recognises as linear in the
     *     counter, so one merged bounds check on A stays in the loop, and that is wanted: it orders
     *     the six broadcasts after the B loads and between the FMAs. Without any check (A indexed by
     *     {@code p·8}) C2 hoists all six broadcasts to the top of the body, needs 20 registers, and
     *     spills four accumulators to the stack: 28 GFLOP/s instead of 60.</li>
     * <li>The stores are written out here rather than in a helper method, because an accumulator
     *     passed to a call that is not inlined must be boxed.</li>
     * </ul>
     */
    private static void kernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float alpha,
                               float[] c, int cIdx, int ldc, boolean store) {
        if (MR == 8) {
            kernel8(kc, ap, aIdx, bp, bIdx, alpha, c, cIdx, ldc, store);
        } else {
            kernel6(kc, ap, aIdx, bp, bIdx, alpha, c, cIdx, ldc, store);
        }
    }

    /** The 6-row tile (see {@link #MR}), written out register by register. */
    private static void kernel6(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float alpha,
                                float[] c, int cIdx, int ldc, boolean store) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        // The loop counter is the index into B; A's index follows by a shift (bIdx is a multiple of NR).
        int end = bIdx + kc * NR;
        int aFromB = aIdx - (bIdx >> A_SHIFT);
        for (int bi = bIdx; bi < end; bi += NR) {
            int ai = (bi >> A_SHIFT) + aFromB;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
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

    /** The 8-row tile for 32 vector registers: {@link #kernel6} with two more rows. */
    private static void kernel8(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float alpha,
                                float[] c, int cIdx, int ldc, boolean store) {
        FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S);
        FloatVector c1a = FloatVector.zero(S), c1b = FloatVector.zero(S);
        FloatVector c2a = FloatVector.zero(S), c2b = FloatVector.zero(S);
        FloatVector c3a = FloatVector.zero(S), c3b = FloatVector.zero(S);
        FloatVector c4a = FloatVector.zero(S), c4b = FloatVector.zero(S);
        FloatVector c5a = FloatVector.zero(S), c5b = FloatVector.zero(S);
        FloatVector c6a = FloatVector.zero(S), c6b = FloatVector.zero(S);
        FloatVector c7a = FloatVector.zero(S), c7b = FloatVector.zero(S);
        int end = bIdx + kc * NR;
        int aFromB = aIdx - (bIdx >> A_SHIFT);
        for (int bi = bIdx; bi < end; bi += NR) {
            int ai = (bi >> A_SHIFT) + aFromB;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c0a = b0.fma(av, c0a);
            c0b = b1.fma(av, c0b);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c1a = b0.fma(av, c1a);
            c1b = b1.fma(av, c1b);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c2a = b0.fma(av, c2a);
            c2b = b1.fma(av, c2b);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c3a = b0.fma(av, c3a);
            c3b = b1.fma(av, c3b);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c4a = b0.fma(av, c4a);
            c4b = b1.fma(av, c4b);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c5a = b0.fma(av, c5a);
            c5b = b1.fma(av, c5b);
            av = FloatVector.broadcast(S, ap[ai + 6]);
            c6a = b0.fma(av, c6a);
            c6b = b1.fma(av, c6b);
            av = FloatVector.broadcast(S, ap[ai + 7]);
            c7a = b0.fma(av, c7a);
            c7b = b1.fma(av, c7b);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (store) { // C = α·AB: C is not read
            c0a.mul(al).intoArray(c, cIdx + 0 * ldc);
            c0b.mul(al).intoArray(c, cIdx + 0 * ldc + L);
            c1a.mul(al).intoArray(c, cIdx + 1 * ldc);
            c1b.mul(al).intoArray(c, cIdx + 1 * ldc + L);
            c2a.mul(al).intoArray(c, cIdx + 2 * ldc);
            c2b.mul(al).intoArray(c, cIdx + 2 * ldc + L);
            c3a.mul(al).intoArray(c, cIdx + 3 * ldc);
            c3b.mul(al).intoArray(c, cIdx + 3 * ldc + L);
            c4a.mul(al).intoArray(c, cIdx + 4 * ldc);
            c4b.mul(al).intoArray(c, cIdx + 4 * ldc + L);
            c5a.mul(al).intoArray(c, cIdx + 5 * ldc);
            c5b.mul(al).intoArray(c, cIdx + 5 * ldc + L);
            c6a.mul(al).intoArray(c, cIdx + 6 * ldc);
            c6b.mul(al).intoArray(c, cIdx + 6 * ldc + L);
            c7a.mul(al).intoArray(c, cIdx + 7 * ldc);
            c7b.mul(al).intoArray(c, cIdx + 7 * ldc + L);
            return;
        }
        c0a.fma(al, FloatVector.fromArray(S, c, cIdx + 0 * ldc)).intoArray(c, cIdx + 0 * ldc);
        c0b.fma(al, FloatVector.fromArray(S, c, cIdx + 0 * ldc + L)).intoArray(c, cIdx + 0 * ldc + L);
        c1a.fma(al, FloatVector.fromArray(S, c, cIdx + 1 * ldc)).intoArray(c, cIdx + 1 * ldc);
        c1b.fma(al, FloatVector.fromArray(S, c, cIdx + 1 * ldc + L)).intoArray(c, cIdx + 1 * ldc + L);
        c2a.fma(al, FloatVector.fromArray(S, c, cIdx + 2 * ldc)).intoArray(c, cIdx + 2 * ldc);
        c2b.fma(al, FloatVector.fromArray(S, c, cIdx + 2 * ldc + L)).intoArray(c, cIdx + 2 * ldc + L);
        c3a.fma(al, FloatVector.fromArray(S, c, cIdx + 3 * ldc)).intoArray(c, cIdx + 3 * ldc);
        c3b.fma(al, FloatVector.fromArray(S, c, cIdx + 3 * ldc + L)).intoArray(c, cIdx + 3 * ldc + L);
        c4a.fma(al, FloatVector.fromArray(S, c, cIdx + 4 * ldc)).intoArray(c, cIdx + 4 * ldc);
        c4b.fma(al, FloatVector.fromArray(S, c, cIdx + 4 * ldc + L)).intoArray(c, cIdx + 4 * ldc + L);
        c5a.fma(al, FloatVector.fromArray(S, c, cIdx + 5 * ldc)).intoArray(c, cIdx + 5 * ldc);
        c5b.fma(al, FloatVector.fromArray(S, c, cIdx + 5 * ldc + L)).intoArray(c, cIdx + 5 * ldc + L);
        c6a.fma(al, FloatVector.fromArray(S, c, cIdx + 6 * ldc)).intoArray(c, cIdx + 6 * ldc);
        c6b.fma(al, FloatVector.fromArray(S, c, cIdx + 6 * ldc + L)).intoArray(c, cIdx + 6 * ldc + L);
        c7a.fma(al, FloatVector.fromArray(S, c, cIdx + 7 * ldc)).intoArray(c, cIdx + 7 * ldc);
        c7b.fma(al, FloatVector.fromArray(S, c, cIdx + 7 * ldc + L)).intoArray(c, cIdx + 7 * ldc + L);
    }
}
