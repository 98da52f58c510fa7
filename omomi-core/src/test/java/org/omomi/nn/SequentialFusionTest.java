package org.omomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A Sequential runs conv → ReLU → 2×2 max pooling as one fused operation, and that is invisible:
 * the built-in CNN gives the same outputs and gradients with the fusion as with it switched off
 * by a (do-nothing) forward hook on the ReLU, which must still see every ReLU output.
 */
class SequentialFusionTest {

    private static float[][] forwardBackward(Module model, Tensor x) {
        Tensor y = model.call(x);
        y.backward(Tensor.randn(new Rng(5), y.shape()));
        List<float[]> out = new ArrayList<>();
        out.add(y.toArray());
        for (Tensor p : model.parameters()) {
            out.add(p.grad().toArray());
            p.clearGrad();
        }
        return out.toArray(new float[0][]);
    }

    @Test
    void theCnnGivesTheSameBitsFusedAndUnfused() {
        Module model = ModelSpec.cnn(new int[] {1, 12, 12}, 3).build(new Rng(1));
        Tensor x = Tensor.rand(new Rng(2), 4, 144);
        float[][] fused = forwardBackward(model, x);
        int[] seen = {0};
        Module relu = model.module("2"); // Unflatten, Conv2d, ReLU, MaxPool, …
        relu.setForwardHook(t -> {
            seen[0]++;
            return t;
        });
        float[][] unfused = forwardBackward(model, x);
        assertEquals(1, seen[0], "the hooked ReLU ran as a layer of its own");
        assertEquals(fused.length, unfused.length);
        for (int i = 0; i < fused.length; i++) {
            assertArrayEquals(unfused[i], fused[i], i == 0 ? "outputs" : "gradient of parameter " + (i - 1));
        }
    }
}
