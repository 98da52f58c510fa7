package org.omomi.nn;

import java.util.Arrays;
import org.omomi.tensor.Tensor;

/** Reshapes each example, keeping the batch: [N, 784] → [N, 1, 28, 28]; {@code nn.Unflatten(1, shape)}. */
public final class Unflatten extends Module {

    private final int[] shape;

    public Unflatten(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] target = new int[shape.length + 1];
        target[0] = x.size(0);
        System.arraycopy(shape, 0, target, 1, shape.length);
        return x.reshape(target);
    }

    @Override
    protected String describe() {
        return "Unflatten(" + Arrays.toString(shape) + ")";
    }
}
