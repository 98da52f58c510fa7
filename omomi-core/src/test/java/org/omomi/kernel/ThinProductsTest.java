package org.omomi.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector backend's one-row and one-column products give the blocked path's bits, element for
 * element, on 1, 2 and 3 threads (GemmConformance checks both against a double reference).
 */
class ThinProductsTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    record Case(long seed, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int pad) {
        @Override
        public String toString() {
            return "seed " + seed + ": " + (transA ? "Aᵀ" : "A") + (transB ? "Bᵀ" : "B") + " " + m + "×" + n + "×" + k
                    + " α=" + alpha + " β=" + beta + " pad " + pad;
        }
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(19);
        // Depths below, at and above a block (256), uneven blocks (784), the logistic regressions'
        // shapes, and sizes above the 4 MFLOP split so that the threads divide the work.
        int[] depths = {1, 2, 7, 31, 32, 255, 256, 257, 784, 1024, 1500};
        int[] lengths = {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 33, 100, 1024};
        float[][] ab = {{1f, 0f}, {1f, 1f}, {0.7f, 0.5f}, {-2f, 0f}};
        for (int c = 0; c < 120; c++) {
            int k = depths[rng.nextInt(depths.length)];
            int len = lengths[rng.nextInt(lengths.length)];
            boolean column = rng.nextBoolean();
            float[] coef = ab[rng.nextInt(ab.length)];
            out.add(new Case(c, rng.nextBoolean(), rng.nextBoolean(), column ? len : 1, column ? 1 : len, k,
                    coef[0], coef[1], rng.nextInt(3)));
        }
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                out.add(new Case(1000, tA, tB, 40_000, 1, 60, 1f, 0f, 0));   // a full-batch logistic regression
                out.add(new Case(1001, tA, tB, 1, 40_000, 60, 1f, 1f, 1));   // its weight gradient's shape, transposed
                out.add(new Case(1002, tA, tB, 3001, 1, 1024, 0.5f, 0.25f, 2));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theThinPathSumsAsTheBlockedPathDoes(Case t) {
        assumeTrue(Gemm.names().contains("vector"), "the vector backend is not available in this JVM");
        SplittableRandom rng = new SplittableRandom(t.seed());
        int aRows = t.transA() ? t.k() : t.m();
        int aCols = t.transA() ? t.m() : t.k();
        int bRows = t.transB() ? t.n() : t.k();
        int bCols = t.transB() ? t.k() : t.n();
        int lda = aCols + t.pad();
        int ldb = bCols + t.pad();
        int ldc = t.n() + t.pad();
        int aOff = t.pad();
        float[] a = randoms(rng, aOff + aRows * lda);
        float[] b = randoms(rng, bRows * ldb);
        float[] c0 = randoms(rng, t.m() * ldc);
        float[] expected = c0.clone();
        boolean overwrite = t.beta() == 0f;
        if (!overwrite) {
            Gemm.scale(expected, 0, ldc, t.m(), t.n(), t.beta());
        }
        Parallel.setThreads(1);
        VectorGemm.blocked(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, aOff, lda, b, 0, ldb,
                expected, 0, ldc, overwrite);
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            float[] c = c0.clone();
            Gemm.sgemm(Gemm.backend("vector"), t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, aOff, lda,
                    b, 0, ldb, t.beta(), c, 0, ldc);
            for (int i = 0; i < c.length; i++) {
                if (Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(expected[i])) {
                    assertEquals(expected[i], c[i], 0f, t + ", " + threads + " thread(s): element " + i + " differs from the blocked path");
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(c[i]),
                            t + ", " + threads + " thread(s): element " + i + " has other bits (signed zero)");
                }
            }
        }
    }

    @Test
    void onlyProductsWithOneRowOrColumnTakeIt() {
        assertTrue(ThinProducts.takes(1, 500));
        assertTrue(ThinProducts.takes(500, 1));
        assertTrue(!ThinProducts.takes(2, 2));
    }

    private static float[] randoms(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // Some exact zeros and small integers, so that sums cancel and signs of zero matter.
            int kind = rng.nextInt(10);
            x[i] = kind == 0 ? 0f : kind == 1 ? (float) (rng.nextInt(5) - 2) : (float) (rng.nextDouble() * 4 - 2);
        }
        return x;
    }
}
