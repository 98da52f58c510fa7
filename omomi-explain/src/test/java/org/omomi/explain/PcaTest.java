package org.omomi.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

class PcaTest {

    @Test
    void findsTheDirectionsOfLargestVariance() {
        // Variance 9 along (1, 1)/√2, 1 along (1, −1)/√2, nothing in the third feature.
        Rng r = new Rng(1);
        int n = 20_000;
        float[] v = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double a = 3 * r.nextGaussian();
            double b = r.nextGaussian();
            v[i * 3] = (float) ((a + b) / Math.sqrt(2) + 5);
            v[i * 3 + 1] = (float) ((a - b) / Math.sqrt(2));
            v[i * 3 + 2] = 2;
        }
        Pca p = Pca.fit(Tensor.wrap(v, n, 3), 2);
        assertEquals(1 / Math.sqrt(2), p.components()[0][0], 0.01);
        assertEquals(1 / Math.sqrt(2), p.components()[0][1], 0.01);
        assertEquals(0, p.components()[0][2], 1e-9);
        assertEquals(-p.components()[1][0], p.components()[1][1], 0.02);
        assertEquals(9, p.variance()[0], 0.3);
        assertEquals(0.9, p.explained()[0], 0.01);
        Tensor y = p.project(Tensor.of(new float[] {5, 0, 2}, 1, 3));
        assertEquals(0, y.get(0, 0), 0.05, "the mean projects to the origin");
    }

    @Test
    void jacobiDiagonalises() {
        double[][] a = {{4, 1, 2}, {1, 3, 0}, {2, 0, 5}};
        double[][] copy = {{4, 1, 2}, {1, 3, 0}, {2, 0, 5}};
        double[][] v = new double[3][3];
        double[] e = Pca.jacobi(a, v);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                double av = 0;
                for (int j = 0; j < 3; j++) {
                    av += copy[i][j] * v[j][c];
                }
                assertEquals(e[c] * v[i][c], av, 1e-9);
            }
        }
        assertEquals(12, e[0] + e[1] + e[2], 1e-9);
    }
}
