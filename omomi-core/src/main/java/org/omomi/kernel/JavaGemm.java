package org.omomi.kernel;

import java.util.Arrays;

/**
 * Plain-Java GEMM: the fallback that runs on every JVM.
 *
 * <p>It packs a block of {@code op(B)} into separate row arrays and accumulates each row of C in a
 * scratch row, because C2 vectorizes {@code acc[j] += a * b[j]} only when both sides are distinct
 * arrays indexed by the same {@code j}; with offsets into one flat array it stays scalar. Rows of C
 * are shared out between threads, so every element is summed in the same order whatever the thread
 * count.
 */
final class JavaGemm implements GemmBackend {

    private static final int KC = 256;
    private static final int NC = 1024;

    @Override
    public String name() {
        return "java";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Gemm.scale(c, cOff, ldc, m, n, beta);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[][] bp = packB(transB, b, bOff, ldb, pc, kc, jc, nc);
                int jc0 = jc;
                int pc0 = pc;
                Parallel.forRange(m, Math.max(1, 65536 / (kc * nc)), (i0, i1) -> {
                    float[] acc = new float[nc];
                    for (int i = i0; i < i1; i++) {
                        Arrays.fill(acc, 0f);
                        for (int p = 0; p < kc; p++) {
                            float av = transA ? a[aOff + (pc0 + p) * lda + i] : a[aOff + i * lda + pc0 + p];
                            axpy(alpha * av, bp[p], acc, nc);
                        }
                        int row = cOff + i * ldc + jc0;
                        for (int j = 0; j < nc; j++) {
                            c[row + j] += acc[j];
                        }
                    }
                });
            }
        }
    }

    /** acc[j] += s·x[j]: distinct arrays, same index, so C2 turns it into vector FMAs. */
    private static void axpy(float s, float[] x, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] += s * x[j];
        }
    }

    private static float[][] packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc) {
        float[][] rows = new float[kc][nc];
        for (int p = 0; p < kc; p++) {
            float[] row = rows[p];
            if (transB) {
                for (int j = 0; j < nc; j++) {
                    row[j] = b[bOff + (jc + j) * ldb + pc + p];
                }
            } else {
                System.arraycopy(b, bOff + (pc + p) * ldb + jc, row, 0, nc);
            }
        }
        return rows;
    }
}
