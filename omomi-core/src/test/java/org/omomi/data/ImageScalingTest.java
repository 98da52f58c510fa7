package org.omomi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Image standardization in one pass gives the bits of the two tensor ops it replaced, and leaves its input alone. */
class ImageScalingTest {

    @Test
    void onePassGivesTheBitsOfSubtractThenDivide() {
        Tensor x = Tensor.rand(new Rng(3), 200, 784);
        float[] before = x.toArray();
        ImageScaling s = ImageScaling.fit(x, 150, new int[] {1, 28, 28});
        Tensor scaled = s.apply(x);
        assertArrayEquals(x.sub(s.mean()).div(s.std()).toArray(), scaled.toArray());
        assertArrayEquals(before, x.toArray(), "the input is not changed");
        assertArrayEquals(new int[] {200, 784}, scaled.shape());
        // Standardized over the fitted rows: mean about 0 and standard deviation about 1.
        float[] v = scaled.toArray();
        double sum = 0;
        double ss = 0;
        for (int i = 0; i < 150 * 784; i++) {
            sum += v[i];
            ss += (double) v[i] * v[i];
        }
        assertEquals(0, sum / (150 * 784), 1e-4);
        assertEquals(1, Math.sqrt(ss / (150 * 784)), 1e-3);
    }
}
