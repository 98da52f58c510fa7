package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sums, maxima and minima over a block of middle axes of a dense tensor are reduced in place; the
 * results equal those of the general path (the axes moved to the end of a copy), bit for bit —
 * the general path still runs for a tensor that is a view.
 */
class MiddleReductionTest {

    @ParameterizedTest(name = "{0} over axes {1}..{2}")
    @CsvSource({"'3,2,5', 1, 1", "'4,7,3', 1, 1", "'2,3,4,5', 1, 2", "'2,9,1,6', 1, 1", "'5,13,8', 1, 1", "'2,3,4,5', 2, 2"})
    void inPlaceEqualsTheMovedAxesPath(String dims, int from, int to) {
        int[] shape = java.util.Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
        int[] axes = java.util.stream.IntStream.rangeClosed(from, to).toArray();
        Tensor dense = Tensor.randn(new Rng(shape.length * 31 + from), shape).mul(1000f).add(0.001f);
        int[] wide = shape.clone();
        wide[0] += 1;
        Tensor padded = Tensor.zeros(wide);
        Tensor view = padded.slice(0, 1, wide[0]); // the same values at an offset: not dense
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            view.copyFrom(dense);
        }
        for (boolean keep : new boolean[] {true, false}) {
            assertArrayEquals(view.sum(axes, keep).toArray(), dense.sum(axes, keep).toArray(), 0f, "sum");
            assertArrayEquals(view.max(axes, keep).toArray(), dense.max(axes, keep).toArray(), 0f, "max");
            assertArrayEquals(view.min(axes, keep).toArray(), dense.min(axes, keep).toArray(), 0f, "min");
        }
    }
}
