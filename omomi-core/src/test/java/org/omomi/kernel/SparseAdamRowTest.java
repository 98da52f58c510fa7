package org.omomi.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.tensor.Rng;

/** The SparseAdam row kernel gives the scalar definition's results bit for bit, vectorized or not, at any row width. */
class SparseAdamRowTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 17, 64, 100})
    void theKernelIsTheScalarDefinition(int n) {
        Rng r = new Rng(n);
        float[][] fast = new float[3][4 * n];
        float[][] slow = new float[3][4 * n];
        float[] g = new float[2 * n];
        for (int j = 0; j < 4 * n; j++) {
            fast[0][j] = slow[0][j] = (float) r.nextGaussian();
            fast[1][j] = slow[1][j] = (float) (0.1 * r.nextGaussian());
            fast[2][j] = slow[2][j] = (float) Math.abs(0.01 * r.nextGaussian());
        }
        for (int step = 0; step < 5; step++) {
            for (int j = 0; j < g.length; j++) {
                g[j] = (float) r.nextGaussian() * (step + 1);
            }
            for (int row : new int[] {2, 0}) {
                Loops.sparseAdamRow(fast[0], fast[1], fast[2], row * n, g, row == 2 ? n : 0, n, 0.1f, 0.001f, -0.01f, 1e-8f);
                Loops.sparseAdamScalar(slow[0], slow[1], slow[2], row * n, g, row == 2 ? n : 0, 0, n, 0.1f, 0.001f, -0.01f, 1e-8f);
            }
        }
        assertArrayEquals(slow[0], fast[0], 0f, "weights");
        assertArrayEquals(slow[1], fast[1], 0f, "first moments");
        assertArrayEquals(slow[2], fast[2], 0f, "second moments");
    }
}
