package org.omomi.data;

import org.omomi.tensor.Tensor;

/** Inputs and targets of a mini-batch; the first dimension of both is the batch. */
public record Batch(Tensor x, Tensor y) {
    public int size() {
        return x.size(0);
    }
}
