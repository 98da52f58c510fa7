package org.omomi.nn;

import org.omomi.tensor.Tensor;

/** Flattens every dimension from {@code startAxis} on (default 1, keeping the batch): [N, C, H, W] → [N, C·H·W]. */
public final class Flatten extends Module {

    private final int startAxis;

    public Flatten() {
        this(1);
    }

    public Flatten(int startAxis) {
        this.startAxis = startAxis;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startAxis);
    }

    @Override
    protected String describe() {
        return "Flatten(from " + startAxis + ")";
    }
}
