package org.omomi.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link GemmBackend} must meet, checked against a double-precision reference.
 * Subclasses name the backend; omomi-openblas reuses this class through the test jar.
 */
public abstract class GemmConformance {

    /** The backend under test, by name. */
    protected abstract String backendName();

    /** Whether results must be bit-identical for any thread count (true for omomi's own kernels). */
    protected boolean deterministicAcrossThreads() {
        return true;
    }

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    protected GemmBackend backend() {
        assumeTrue(Gemm.names().contains(backendName()), backendName() + " is not available in this JVM");
        return Gemm.backend(backendName());
    }

    /** One multiplication to check. */
    public record Shape(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int pad) {
        @Override
        public String toString() {
            return (transA ? "Aᵀ" : "A") + (transB ? "Bᵀ" : "B") + " " + m + "×" + n + "×" + k
                    + " α=" + alpha + " β=" + beta + (pad > 0 ? " ld+" + pad : "");
        }
    }

    static Stream<Shape> shapes() {
        List<Shape> s = new ArrayList<>();
        int[][] sizes = {{1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {6, 32, 1}, {7, 33, 17}, {13, 50, 64},
            {64, 64, 64}, {121, 70, 257}, {130, 97, 300}, {128, 256, 512}, {300, 200, 150}};
        float[][] ab = {{1f, 0f}, {0.5f, 1f}, {-2f, 0.3f}};
        int i = 0;
        for (int[] z : sizes) {
            for (int t = 0; t < 4; t++) {
                float[] alphaBeta = ab[(i++) % ab.length];
                s.add(new Shape((t & 1) != 0, (t & 2) != 0, z[0], z[1], z[2], alphaBeta[0], alphaBeta[1], (i % 3 == 0) ? 3 : 0));
            }
        }
        return s.stream();
    }

    /** Operands laid out with offsets and leading dimensions, and the double-precision answer. */
    static final class Problem {
        final Shape s;
        final float[] a;
        final float[] b;
        final float[] c;
        final int aOff = 2;
        final int bOff = 3;
        final int cOff = 1;
        final int lda;
        final int ldb;
        final int ldc;
        final double[] expected;
        final double[] magnitude;

        Problem(Shape s, long seed) {
            this.s = s;
            Random r = new Random(seed);
            int aRows = s.transA() ? s.k() : s.m();
            int aCols = s.transA() ? s.m() : s.k();
            int bRows = s.transB() ? s.n() : s.k();
            int bCols = s.transB() ? s.k() : s.n();
            lda = aCols + s.pad();
            ldb = bCols + s.pad();
            ldc = s.n() + s.pad();
            a = fill(r, aOff + aRows * lda);
            b = fill(r, bOff + bRows * ldb);
            c = fill(r, cOff + s.m() * ldc);
            expected = new double[s.m() * s.n()];
            magnitude = new double[s.m() * s.n()];
            for (int i = 0; i < s.m(); i++) {
                for (int j = 0; j < s.n(); j++) {
                    double sum = 0;
                    double mag = 0;
                    for (int p = 0; p < s.k(); p++) {
                        double x = s.transA() ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        double y = s.transB() ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        sum += x * y;
                        mag += Math.abs(x * y);
                    }
                    double old = c[cOff + i * ldc + j];
                    expected[i * s.n() + j] = s.alpha() * sum + (s.beta() == 0f ? 0 : s.beta() * old);
                    magnitude[i * s.n() + j] = Math.abs(s.alpha()) * mag + Math.abs(s.beta() * old);
                }
            }
        }

        private static float[] fill(Random r, int n) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) r.nextGaussian();
            }
            return x;
        }

        float[] run(GemmBackend backend) {
            float[] out = c.clone();
            Gemm.sgemm(backend, s.transA(), s.transB(), s.m(), s.n(), s.k(), s.alpha(), a, aOff, lda, b, bOff, ldb, s.beta(), out, cOff, ldc);
            return out;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void matchesDoublePrecisionReference(Shape shape) {
        GemmBackend backend = backend();
        Problem p = new Problem(shape, shape.hashCode());
        float[] out = p.run(backend);
        for (int i = 0; i < shape.m(); i++) {
            for (int j = 0; j < shape.n(); j++) {
                double want = p.expected[i * shape.n() + j];
                double got = out[p.cOff + i * p.ldc + j];
                // float32 summation error grows at most linearly with k; this bound is that, with room.
                double tol = 1e-6 + 2 * Math.ulp(1f) * Math.max(1, shape.k()) * p.magnitude[i * shape.n() + j];
                assertEquals(want, got, tol, shape + " element (" + i + ", " + j + ")");
            }
        }
        // Gaps between the rows of C (ld > n) and the cells before C are left untouched.
        for (int i = 0; i < shape.m(); i++) {
            for (int j = shape.n(); j < p.ldc; j++) {
                assertEquals(p.c[p.cOff + i * p.ldc + j], out[p.cOff + i * p.ldc + j], shape + " wrote into the gap of row " + i);
            }
        }
        assertEquals(p.c[0], out[0], "wrote before the offset of C");
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        GemmBackend backend = backend();
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Gemm.sgemm(backend, false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c);
    }

    /**
     * Products above the 4 MFLOP at which omomi's GEMMs split, for every transposition: taller
     * than wide (the split runs over rows of C) and wider than tall (over columns, across more
     * than one {@code NC} = 2048 panel), both deeper than one {@code KC} = 256 block, with α, β
     * and leading dimensions that are not the plain ones; sizes are not multiples of the tile.
     */
    static Stream<Shape> splittingShapes() {
        List<Shape> s = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            s.add(new Shape(ta, tb, 301, 150, 300, 1f, 0f, 0)); // 27 MFLOP, rows split
            s.add(new Shape(ta, tb, 37, 2200, 290, 1.5f, 0.5f, 3)); // 47 MFLOP, columns split
        }
        s.add(new Shape(false, true, 300, 257, 260, 1f, 0f, 0));
        return s.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splittingShapes")
    void resultDoesNotDependOnThreadCount(Shape shape) {
        assumeTrue(deterministicAcrossThreads());
        assertTrue(2L * shape.m() * shape.n() * shape.k() > 4_000_000L, "the product must be large enough to split");
        GemmBackend backend = backend();
        Problem p = new Problem(shape, 7);
        Parallel.setThreads(1);
        float[] one = p.run(backend);
        Parallel.setThreads(2);
        float[] two = p.run(backend);
        Parallel.setThreads(3);
        float[] three = p.run(backend);
        assertArrayEquals(one, two, shape + ": 1 vs 2 threads");
        assertArrayEquals(one, three, shape + ": 1 vs 3 threads");
        // The same bits, and the right ones: spot-check against the double-precision product.
        for (int e = 0; e < shape.m() * shape.n(); e += 97) {
            int i = e / shape.n();
            int j = e % shape.n();
            double tol = 1e-6 + 2 * Math.ulp(1f) * shape.k() * p.magnitude[e];
            assertEquals(p.expected[e], one[p.cOff + i * p.ldc + j], tol, shape + " element (" + i + ", " + j + ")");
        }
    }

    @Test
    void argumentsAreValidatedBeforeTheBackendSeesThem() {
        GemmBackend backend = backend();
        float[] small = new float[3];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(backend, false, false, 2, 2, 2, 1f, small, 0, 2, small, 0, 2, 0f, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(backend, false, false, 2, 3, 2, 1f, new float[4], 0, 2, new float[6], 0, 2, 0f, new float[6], 0, 3));
        assertTrue(e.getMessage().contains("leading dimension of B"), e.getMessage());
    }
}
