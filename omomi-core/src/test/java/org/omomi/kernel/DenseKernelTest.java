package org.omomi.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The serving kernel gives, bit for bit, what a batch through the vector GEMM gives (bias rows in
 * C, {@code C = x·Wᵀ + C}, then ReLU), on its Vector API path and on its fallback, at widths that
 * exercise full strips, tail vectors, partial tail vectors and several depth blocks, for one row
 * and for batches (which take the GEMM on weights it packed once).
 */
class DenseKernelTest {

    record Case(int rows, int in, int out, boolean bias, boolean relu) {
        @Override
        public String toString() {
            return rows + "×" + in + " → " + out + (bias ? " +b" : "") + (relu ? " relu" : "");
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        int[][] sizes = {{1, 1}, {7, 3}, {32, 1}, {196, 64}, {197, 65}, {256, 10}, {512, 256}, {784, 512}, {1000, 130}, {257, 200}};
        int i = 0;
        for (int[] s : sizes) {
            c.add(new Case(1 + (i % 3), s[0], s[1], i % 2 == 0, i % 3 != 1));
            c.add(new Case(1, s[0], s[1], i % 2 != 0, i % 3 == 1));
            // Batches beyond ROWS_ONE_BY_ONE take the GEMM on prepacked weights: edge tiles of 5
            // and 13 rows, whole tiles of 6, and batches big enough for the GEMM to split by thread.
            int[] batches = {DenseKernel.ROWS_ONE_BY_ONE + 1, 6, 13, 64, 200};
            c.add(new Case(batches[i % batches.length], s[0], s[1], i % 2 == 0, i % 3 != 2));
            i++;
        }
        c.add(new Case(22, 784, 512, true, true)); // the served Fashion-MNIST MLP's first layer, batched
        return c.stream();
    }

    private static float[] fill(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** What Tensor.linear (then relu) computes on the vector GEMM. */
    private static float[] throughGemm(Case c, float[] x, float[] w, float[] b) {
        float[] y = new float[c.rows() * c.out()];
        if (b != null) {
            for (int r = 0; r < c.rows(); r++) {
                System.arraycopy(b, 0, y, r * c.out(), c.out());
            }
        }
        Gemm.sgemm(Gemm.backend("vector"), false, true, c.rows(), c.out(), c.in(), 1f, x, 0, c.in(), w, 0, c.in(),
                b == null ? 0f : 1f, y, 0, c.out());
        if (c.relu()) {
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.max(y[i], 0f);
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameBitsAsTheVectorGemmOnBothPaths(Case c) {
        assumeTrue(Gemm.names().contains("vector"), "the vector GEMM is not available in this JVM");
        Random r = new Random(c.hashCode());
        float[] x = fill(r, c.rows() * c.in() + 3);
        float[] w = fill(r, c.out() * c.in());
        float[] b = c.bias() ? fill(r, c.out()) : null;
        float[] xs = java.util.Arrays.copyOfRange(x, 3, x.length);
        float[] want = throughGemm(c, xs, w, b);
        float[] fallback = new float[want.length + 2];
        DenseKernel.of(w, c.out(), c.in(), b, false).forward(x, 3, c.rows(), fallback, 2, c.relu());
        assertArrayEquals(want, java.util.Arrays.copyOfRange(fallback, 2, fallback.length), c + ": fallback");
        assertTrue(DenseKernel.vectorPath(), "the tests run with the Vector API");
        float[] vector = new float[want.length + 2];
        DenseKernel.of(w, c.out(), c.in(), b, true).forward(x, 3, c.rows(), vector, 2, c.relu());
        assertArrayEquals(want, java.util.Arrays.copyOfRange(vector, 2, vector.length), c + ": vector path");
        assertTrue(vector[0] == 0f && vector[1] == 0f, c + ": wrote before the offset");
    }

    @Test
    void theKernelKeepsItsOwnCopyOfTheWeights() {
        float[] w = {1, 2, 3, 4, 5, 6};
        float[] b = {0.5f, -100f};
        DenseKernel k = DenseKernel.of(w, 2, 3, b);
        w[0] = 1000;
        b[0] = 1000;
        float[] y = new float[2];
        k.forward(new float[] {1, 1, 1}, 0, 1, y, 0, true);
        assertArrayEquals(new float[] {6.5f, 0f}, y);
    }

    @Test
    void badShapesAreRefusedWithTheSizes() {
        assertThrows(IllegalArgumentException.class, () -> DenseKernel.of(new float[5], 2, 3, null));
        assertThrows(IllegalArgumentException.class, () -> DenseKernel.of(new float[6], 2, 3, new float[3]));
        DenseKernel k = DenseKernel.of(new float[6], 2, 3, null);
        assertThrows(IllegalArgumentException.class, () -> k.forward(new float[5], 0, 2, new float[4], 0, false));
        assertThrows(IllegalArgumentException.class, () -> k.forward(new float[6], 0, 2, new float[3], 0, false));
    }
}
